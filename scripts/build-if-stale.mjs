// Builds only the packages whose inputs changed since their last build, so `pnpm demo` starts in
// a second when nothing changed instead of rebuilding every package (tsup has no incremental mode,
// and a task runner such as turbo would be one more tool to install for this one decision).
//
//   node scripts/build-if-stale.mjs
//
// A package is stale when it has no dist/ yet, or when a file among its inputs (src/, package.json,
// tsup.config.ts, and for an adapter its migrations/<dialect>/) is newer than the oldest file in
// dist/. A stale dependency makes its dependents stale too: their bundled .d.ts read its types.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// In dependency order: each package's build reads the dist of those before it.
const PACKAGES = [
  { name: 'core', inputs: [], dependsOn: [] },
  { name: 'sqlite', inputs: ['migrations/sqlite'], dependsOn: ['core'] },
  { name: 'postgres', inputs: ['migrations/postgres'], dependsOn: ['core'] },
  { name: 'mysql', inputs: ['migrations/mysql'], dependsOn: ['core'] },
  { name: 'cli', inputs: [], dependsOn: ['core', 'sqlite', 'postgres', 'mysql'] },
];

/** Modification times (ms) of every file under `path` (a file or a folder). */
function fileTimes(path) {
  if (!existsSync(path)) return [];
  const stat = statSync(path);
  if (!stat.isDirectory()) return [stat.mtimeMs];
  return readdirSync(path).flatMap((entry) => fileTimes(join(path, entry)));
}

const rebuilt = new Set();
for (const { name, inputs, dependsOn } of PACKAGES) {
  const folder = join(ROOT, 'packages', name);
  const outputs = fileTimes(join(folder, 'dist'));
  const newestInput = Math.max(
    ...['src', 'package.json', 'tsup.config.ts'].flatMap((input) => fileTimes(join(folder, input))),
    ...inputs.flatMap((input) => fileTimes(join(ROOT, input))),
  );
  const stale = outputs.length === 0 || newestInput > Math.min(...outputs) || dependsOn.some((dependency) => rebuilt.has(dependency));
  if (!stale) continue;
  console.error(`building packages/${name} (sources changed since its last build)`);
  execFileSync('pnpm', ['--filter', `./packages/${name}`, 'run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  rebuilt.add(name);
}
