import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isolatedSqliteProject } from '../../../test-support/isolated-project.js';
import { runNode } from '../../../test-support/spawn-node.js';

/** A project with core and the SQLite adapter but not `@opentelemetry/api`, and two scripts that use the store. */
function projectWithoutApi(root: string): string {
  isolatedSqliteProject(root);
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

  it('runs a copy of core built with OpenTelemetry support (its dist imports @opentelemetry/api on demand)', () => {
    // A dist built before OpenTelemetry would pass the tests below for no reason: it never looks for the API.
    const dist = join(root, 'node_modules', '@nightcrier', 'storage-core', 'dist');
    const importing = readdirSync(dist).filter((file) => file.endsWith('.js') && readFileSync(join(dist, file), 'utf8').includes('import("@opentelemetry/api")'));
    console.log(`copied core dist: files with the dynamic import of @opentelemetry/api: ${importing.join(', ') || 'none'}`);
    expect(importing.length).toBeGreaterThan(0);
  });

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
