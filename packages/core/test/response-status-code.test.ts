import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../test-support/free-port.js';
import { ConnectionError, NotFoundError } from '../src/index.js';
import { responseStatusCode } from '../src/telemetry/response-status-code.js';

/** The error Node gives a connection to a port nothing listens on (ECONNREFUSED, with a negative errno). */
async function refusedConnection(): Promise<NodeJS.ErrnoException> {
  const port = await freePort();
  return new Promise((resolve) => connect(port, '127.0.0.1').once('error', resolve));
}

// The database answers (SQLSTATE, error number, SQLite code) are checked against real servers in the
// telemetry suite; here, the failures where no database answered, which must carry no status code.
describe('db.response.status_code only when the database answered with an error', () => {
  it('none for a socket error, even one whose code looks like a SQLSTATE or that has an errno', async () => {
    const refused = await refusedConnection();
    console.log(`socket error: code ${String(refused.code)}, errno ${String(refused.errno)}`);
    expect(responseStatusCode(new ConnectionError('failed to connect', { cause: refused }))).toBeUndefined();
    expect(responseStatusCode(new ConnectionError('connection lost', { cause: Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32 }) }))).toBeUndefined();
  });

  it("none for core's own findings and for errors without a cause", () => {
    expect(responseStatusCode(new NotFoundError('incident not found'))).toBeUndefined();
    expect(responseStatusCode(new TypeError('the caller threw'))).toBeUndefined();
    expect(responseStatusCode('a string')).toBeUndefined();
  });

  it("reads the driver's code through a chain of causes", () => {
    const engine = Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(responseStatusCode(new ConnectionError('outer', { cause: new Error('middle', { cause: engine }) }))).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
  });
});
