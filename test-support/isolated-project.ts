import { cpSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CORE = fileURLToPath(new URL('../packages/core', import.meta.url));
const SQLITE = fileURLToPath(new URL('../packages/sqlite', import.meta.url));

/**
 * Copies a built package (its package.json and dist) into `modules` (a project's node_modules) as
 * `name`. A copy, not a symlink: Node resolves a module's imports from its real path, and a
 * symlink's real path is the workspace, where every dev dependency is installed.
 */
function copyBuiltPackage(from: string, modules: string, name: string): void {
  const to = join(modules, ...name.split('/'));
  mkdirSync(to, { recursive: true });
  cpSync(join(from, 'package.json'), join(to, 'package.json'));
  cpSync(join(from, 'dist'), join(to, 'dist'), { recursive: true });
}

/**
 * Makes `root` a project that installed the built SQLite adapter and core — the workspace's, or
 * the one built in `coreFrom` (a folder with package.json and dist) — with their runtime
 * dependencies as installed, and nothing else: `@opentelemetry/api` cannot be resolved there
 * (no folder above a temp directory holds node_modules). Returns its node_modules folder.
 */
export function isolatedSqliteProject(root: string, coreFrom: string = CORE): string {
  const modules = join(root, 'node_modules');
  copyBuiltPackage(coreFrom, modules, '@nightcrier/storage-core');
  copyBuiltPackage(SQLITE, modules, '@nightcrier/storage-sqlite');
  symlinkSync(realpathSync(join(CORE, 'node_modules', 'kysely')), join(modules, 'kysely'));
  symlinkSync(realpathSync(join(SQLITE, 'node_modules', 'better-sqlite3')), join(modules, 'better-sqlite3'));
  return modules;
}
