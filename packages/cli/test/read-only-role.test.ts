import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The PostgreSQL package's test server: NIGHTCRIER_TEST_POSTGRES_URL (an unreachable one fails the
// run), testcontainers, or a throwaway cluster — never a skip.
import { adminQuery, createEmptyDatabase, dropDatabase } from '../../postgres/test/support/test-databases.js';
import { startTestServer, type TestServer } from '../../postgres/test/support/test-server.js';
import { cli, lines } from './cli-harness.js';

/**
 * What an operator gives a dashboard or an on-call shell: a PostgreSQL role that may connect and
 * read, nothing else. The read-only commands must work with it; before they stopped migrating on
 * open, every one failed with `permission denied for schema public`.
 */
describe('a read-only PostgreSQL role', () => {
  let server: TestServer;
  let ownerUrl: string;
  let readerUrl: string;
  const role = `nc_reader_${process.pid}_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    server = await startTestServer();
    ownerUrl = await createEmptyDatabase(server.adminUrl, 'nc_cli_ro');
    expect((await cli(['--url', ownerUrl, 'demo', '--incidents', '3'])).code).toBe(0);
    const database = decodeURIComponent(new URL(ownerUrl).pathname.slice(1));
    await adminQuery(server.adminUrl, `create role "${role}" login password '${password}'`);
    await adminQuery(server.adminUrl, `grant connect on database "${database}" to "${role}"`);
    await adminQuery(ownerUrl, `grant usage on schema public to "${role}"`);
    await adminQuery(ownerUrl, `grant select on all tables in schema public to "${role}"`);
    const reader = new URL(ownerUrl);
    reader.username = role;
    reader.password = password;
    readerUrl = reader.toString();
  });

  afterAll(async () => {
    if (ownerUrl !== undefined) await dropDatabase(server.adminUrl, ownerUrl);
    await adminQuery(server.adminUrl, `drop role if exists "${role}"`);
    await server?.stop();
  });

  it('can run incidents list, incidents show and health', async () => {
    const list = await cli(['--url', readerUrl, 'incidents', 'list', '--json']);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    const incidents = lines(list.stdout).map((line) => JSON.parse(line));
    expect(incidents).toHaveLength(3);

    const show = await cli(['--url', readerUrl, 'incidents', 'show', incidents[0].incidentId, '--json']);
    expect(show.stderr).toBe('');
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout).executions).toHaveLength(1);

    const health = await cli(['--url', readerUrl, 'health', '--json']);
    expect(health.stderr).toBe('');
    expect(health.code).toBe(0);
    expect(JSON.parse(health.stdout).schema).toMatchObject({ state: 'up to date', pending: [] });
    expect((await cli(['--url', readerUrl, 'migrate', 'status'])).code).toBe(0);
  });

  it('really is read-only: demo, which writes, is refused', async () => {
    const demo = await cli(['--url', readerUrl, 'demo', '--incidents', '1', '--json']);
    expect(demo.code).toBe(1);
    expect(JSON.parse(demo.stderr).error.message).toMatch(/permission denied/);
    expect(demo.stderr).not.toContain(password);
  });
});
