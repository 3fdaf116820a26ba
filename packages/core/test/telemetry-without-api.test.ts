import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../../../test-support/spawn-node.js';

const CORE = fileURLToPath(new URL('..', import.meta.url));
const SQLITE = fileURLToPath(new URL('../../sqlite', import.meta.url));

/** Copies a built workspace package (package.json and dist) into `modules`, where Node resolves its imports from. */
function copyPackage(from: string, modules: string, name: string): void {
  const to = join(modules, ...name.split('/'));
  mkdirSync(to, { recursive: true });
  cpSync(join(from, 'package.json'), join(to, 'package.json'));
  cpSync(join(from, 'dist'), join(to, 'dist'), { recursive: true });
}

/**
 * A project that installed core and the SQLite adapter but not `@opentelemetry/api`: the built
 * packages copied (a symlink would resolve from the workspace, where the API is installed), their
 * dependencies as installed. No folder above the temp directory holds node_modules.
 */
function projectWithoutApi(root: string): string {
  const modules = join(root, 'node_modules');
  copyPackage(CORE, modules, '@nightcrier/storage-core');
  copyPackage(SQLITE, modules, '@nightcrier/storage-sqlite');
  symlinkSync(realpathSync(join(CORE, 'node_modules', 'kysely')), join(modules, 'kysely'));
  symlinkSync(realpathSync(join(SQLITE, 'node_modules', 'better-sqlite3')), join(modules, 'better-sqlite3'));
  const calls = `
    const store = await createStateStore('sqlite::memory:', { telemetry: { queryText: true } });
    const event = { faultId: 'f-1', receivedAt: new Date(), subscriptionId: 's', cluster: 'c', faultType: 'OOMKilled', severity: 'high', context: 'x', timestamp: 't' };
    await store.createIncident(newIncidentFromEvent('i-1', event), event);
    const read = await store.getIncident('i-1');
    await store.close();
    let api = 'resolvable';
    try { await import('@opentelemetry/api'); } catch (error) { api = error.code; }
    console.log(JSON.stringify({ read: read.incidentId, api }));`;
  writeFileSync(join(root, 'as-module.mjs'), `import { createStateStore, newIncidentFromEvent } from '@nightcrier/storage-core';\n${calls}\n`);
  writeFileSync(join(root, 'as-commonjs.cjs'), `const { createStateStore, newIncidentFromEvent } = require('@nightcrier/storage-core');\n(async () => {${calls}\n})();\n`);
  return root;
}

describe('core without @opentelemetry/api installed', () => {
  const root = projectWithoutApi(mkdtempSync(join(tmpdir(), 'nightcrier-no-otel-')));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const script of ['as-module.mjs', 'as-commonjs.cjs']) {
    it(`opens a store and runs calls (${script}: the API cannot be resolved there)`, async () => {
      const { code, lines, stderr } = await runNode(join(root, script), []);
      console.log(`${script}: exit ${code}, ${lines.join(' ')}${stderr === '' ? '' : `, stderr: ${stderr}`}`);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(JSON.parse(lines.at(-1) ?? '{}')).toEqual({ read: 'i-1', api: 'ERR_MODULE_NOT_FOUND' });
    });
  }
});
