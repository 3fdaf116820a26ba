/** Where the CLI writes; `process.stdout` / `process.stderr` fit, and so do test buffers. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True for a terminal: only then does long work draw a progress bar. */
  isTTY?: boolean;
  /** The terminal's width in columns, when it is one. */
  columns?: number;
}

/** Everything `runCli` touches outside itself. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
}

/** Writes `text` followed by a newline. */
export function writeLine(stream: OutputStream, text = ''): void {
  stream.write(`${text}\n`);
}
