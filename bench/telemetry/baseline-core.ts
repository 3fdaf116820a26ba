import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DATA_DIR, REPO_ROOT } from '../harness/paths.js';

/** The last commit before OpenTelemetry came to core: the parent of the commit that added its folder. */
export function commitBeforeTelemetry(): string {
  const added = execFileSync('git', ['-C', REPO_ROOT, 'log', '--format=%H', '--diff-filter=A', '--', 'packages/core/src/telemetry'], { encoding: 'utf8' }).trim().split('\n');
  const first = added.at(-1);
  if (first === undefined || first === '') throw new Error('no commit adds packages/core/src/telemetry: nothing to compare with');
  return execFileSync('git', ['-C', REPO_ROOT, 'rev-parse', `${first}^`], { encoding: 'utf8' }).trim();
}

/**
 * Core as it was at `commit`, built (esbuild, one ES-module build with shared chunks as tsup makes
 * it) into a folder of its own with its package.json: "today" for the telemetry benchmark. Cached
 * in bench/.data by commit.
 */
export async function buildCoreAt(commit: string): Promise<string> {
  const folder = join(DATA_DIR, 'telemetry', `core-${commit.slice(0, 12)}`);
  const core = join(folder, 'packages', 'core');
  if (existsSync(join(core, 'dist', 'adapter.js'))) return core;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  execSync(`git -C "${REPO_ROOT}" archive ${commit} packages/core/src packages/core/package.json | tar -x -C "${folder}"`);
  await build({
    entryPoints: { index: join(core, 'src', 'index.ts'), adapter: join(core, 'src', 'adapter.ts') },
    outdir: join(core, 'dist'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['kysely', '@nightcrier/*', '@opentelemetry/api', 'vitest', 'fast-check'],
    logLevel: 'warning',
  });
  return core;
}
