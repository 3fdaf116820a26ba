import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../../../test-support/spawn-node.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const CORE = fileURLToPath(new URL('../../core', import.meta.url));

/**
 * A project whose better-sqlite3 has no compiled addon — what a pnpm install that skipped the
 * unapproved install script leaves behind: the package's JavaScript without its `build/` folder.
 * Everything else is the real, built packages.
 */
function projectWithoutNativeBuild(root: string): string {
  const modules = join(root, 'node_modules');
  const realDriver = realpathSync(join(PACKAGE, 'node_modules', 'better-sqlite3'));
  mkdirSync(join(modules, '@nightcrier', 'storage-sqlite'), { recursive: true });
  cpSync(join(realDriver, 'package.json'), join(modules, 'better-sqlite3', 'package.json'));
  cpSync(join(realDriver, 'lib'), join(modules, 'better-sqlite3', 'lib'), { recursive: true });
  // bindings (the addon locator) and kysely are used as installed; only the addon is missing.
  symlinkSync(realpathSync(join(dirname(realDriver), 'bindings')), join(modules, 'bindings'));
  symlinkSync(realpathSync(join(PACKAGE, 'node_modules', 'kysely')), join(modules, 'kysely'));
  symlinkSync(CORE, join(modules, '@nightcrier', 'storage-core'));
  cpSync(join(PACKAGE, 'package.json'), join(modules, '@nightcrier', 'storage-sqlite', 'package.json'));
  cpSync(join(PACKAGE, 'dist'), join(modules, '@nightcrier', 'storage-sqlite', 'dist'), { recursive: true });
  const script = join(root, 'open.mjs');
  writeFileSync(
    script,
    `import { NativeModuleError, StateStoreError } from '@nightcrier/storage-core';
import { createSqliteStateStore } from '@nightcrier/storage-sqlite';
const filename = process.argv[2];
try {
  await createSqliteStateStore({ filename });
  console.log(JSON.stringify({ opened: true }));
} catch (error) {
  console.log(JSON.stringify({
    native: error instanceof NativeModuleError, storeError: error instanceof StateStoreError,
    name: error.name, code: error.code, message: error.message,
  }));
}
`,
  );
  return script;
}

describe('a better-sqlite3 without its native build', () => {
  const root = mkdtempSync(join(tmpdir(), 'nc-native-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('fails to open with NativeModuleError naming the fix, not ConnectionError, and creates no database', async () => {
    const script = projectWithoutNativeBuild(root);
    const database = join(root, 'data', 'store.db');
    const { code, lines, stderr } = await runNode(script, [database]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const outcome = JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown>;
    expect(outcome).toMatchObject({ native: true, storeError: true, name: 'NativeModuleError', code: 'NATIVE_MODULE' });
    const message = String(outcome['message']);
    expect(message).toContain('better-sqlite3');
    expect(message).toContain('allowBuilds');
    expect(message).toContain('rebuild better-sqlite3');
    expect(existsSync(database)).toBe(false);
  });
});
