import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

// Each process prints the names of the migrations it applied itself.
const MIGRATE_SCRIPT = `
  import { runMigrations } from '@nightcrier/storage-core';
  const result = await runMigrations(process.argv[1]);
  console.log(JSON.stringify(result.migrations));`;

/**
 * Runs `runMigrations(url)` in `processes` Node processes at once (separate pools, separate
 * advisory-lock holders) and returns every migration name they reported applying, sorted: each
 * migration appears once when the lock did its job.
 */
export async function migrateFromProcesses(url: string, processes = 2): Promise<string[]> {
  const outputs = await Promise.all(
    Array.from({ length: processes }, () =>
      run(process.execPath, ['--input-type=module', '-e', MIGRATE_SCRIPT, url], { cwd: PACKAGE_DIR, timeout: 60_000 }),
    ),
  );
  return outputs.flatMap((output) => JSON.parse(output.stdout.trim()) as string[]).sort();
}
