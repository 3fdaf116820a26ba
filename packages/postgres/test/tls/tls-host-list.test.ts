import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificates, type TestCertificates } from '../../../../test-support/tls-certificates.js';
import { freePort } from '../../../../test-support/free-port.js';
import { parsePostgresUrl } from '../../src/parse-postgres-url.js';
import { postgresConnectionFactory } from '../../src/postgres-connections.js';
import { locateExternalTools } from '../support/external-tools.js';
import { handOverToDatabaseUser, startTempPostgresServer, type TempPostgresServer } from '../support/temp-postgres-server.js';

const tools = locateExternalTools();

// verify-full over a host list: the certificate (it names localhost only) must be checked against
// the host each attempt goes to, not against the first host of the list.
describe('sslmode=verify-full over a multi-host URL', () => {
  let baseDirectory = '';
  let certificates: TestCertificates;
  let server: TempPostgresServer;

  beforeAll(async () => {
    if (tools.missing.length > 0) throw new Error(`the TLS host-list test needs ${tools.missing.join(', ')}`);
    baseDirectory = mkdtempSync(join(tmpdir(), 'nightcrier-pg-tls-hosts-'));
    certificates = createTestCertificates(tools.openssl, join(baseDirectory, 'certs'));
    chmodSync(certificates.serverKey, 0o600); // PostgreSQL refuses a key others can read
    await handOverToDatabaseUser(baseDirectory);
    server = await startTempPostgresServer({ tools, baseDirectory, name: 'tls', tls: { certFile: certificates.serverCert, keyFile: certificates.serverKey } });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (baseDirectory !== '') rmSync(baseDirectory, { recursive: true, force: true });
  });

  async function open(hosts: string): Promise<{ ssl?: boolean; error?: string }> {
    const url = `postgres://postgres@${hosts}/postgres?sslmode=verify-full&sslrootcert=${encodeURIComponent(certificates.caCert)}`;
    const { hostConfigs, targetSessionAttrs } = parsePostgresUrl(url);
    const factory = postgresConnectionFactory(hostConfigs, { connectTimeoutMs: 5000, keepAliveMs: 0, targetSessionAttrs });
    try {
      const connection = await factory.open(() => undefined, undefined);
      const { rows } = await connection.client.query<{ ssl: boolean }>('select ssl from pg_stat_ssl where pid = pg_backend_pid()');
      await factory.close(connection);
      return { ssl: rows[0]?.ssl === true };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  it('checks each host against its own name', async () => {
    const closed = await freePort();
    // The first host (an IP the certificate does not name) refuses; the second is checked as localhost.
    expect(await open(`127.0.0.1:${closed},localhost:${server.port}`)).toEqual({ ssl: true });
    // The first host is named in the certificate but refuses; the second, 127.0.0.1, is not named.
    const refused = await open(`localhost:${closed},127.0.0.1:${server.port}`);
    console.log(`verify-full over localhost:closed,127.0.0.1:tls → ${JSON.stringify(refused)}`);
    expect(refused.error).toMatch(/no host accepted the connection/);
    expect(refused.error).toMatch(new RegExp(`127\\.0\\.0\\.1:${server.port} failed to connect \\(.*(altnames|does not match)`));
  });
});
