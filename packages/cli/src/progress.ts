import cliProgress from 'cli-progress';
import type { CommandContext } from './command.js';

/** Counts finished units of long work. */
export interface Progress {
  /** One more unit done; `detail` names it (a migration) where that helps. */
  tick(detail?: string): void;
  /** Draws the final state and lets the terminal go; safe to call twice. */
  stop(): void;
}

const SILENT: Progress = { tick: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr for `total` units of `label`, drawn by cli-progress — but only when
 * stderr is a terminal and the output is not `--json`: piped or machine-read output gets nothing
 * extra, not even a carriage return.
 */
export function startProgress(context: CommandContext, label: string, total: number): Progress {
  const { stderr } = context.io;
  if (context.json || stderr.isTTY !== true || total < 1) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      // cli-progress wants a tty.WriteStream; it only calls write() and reads isTTY and columns.
      stream: stderr as NodeJS.WritableStream,
      format: `${label} [{bar}] {value}/{total} {detail}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { detail: '' });
  let stopped = false;
  return {
    tick: (detail = '') => bar.increment(1, { detail }),
    stop: () => {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
