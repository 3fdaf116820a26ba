import { describe, expect, it } from 'vitest';
import { ConnectionError, createStateStore, StorageError } from '@nightcrier/storage-core';
import { freePort } from '../../../test-support/free-port.js';
import { createMysqlStateStore } from '../src/index.js';
import { mysqlErrorKind } from '../src/mysql-error-kind.js';
import { adminQuery, adminUrl, freshDatabase, withDatabase } from './support/store-fixtures.js';

const serverError = (errno: number, message = 'boom') => Object.assign(new Error(message), { errno, code: 'ER_SOMETHING' });
const clientError = (code: string, message = 'boom') => Object.assign(new Error(message), { errno: -104, code });

describe('MySQL error numbers map to one kind each', () => {
  it.each([
    [1062, 'unique_violation'],
    [1452, 'foreign_key_violation'],
    [1216, 'foreign_key_violation'],
    [4025, 'check_violation'],
    [3819, 'check_violation'],
    [1048, 'not_null_violation'],
    [1213, 'deadlock'],
    [1205, 'busy'],
    [1317, 'cancelled'],
    [3024, 'cancelled'],
    [1969, 'cancelled'],
    [1146, 'undefined_table'],
    [1045, 'connection'],
    [1049, 'connection'],
    [1040, 'connection'],
    [2006, 'connection_lost'],
    [2013, 'connection_lost'],
    [1927, 'connection_lost'],
    [1053, 'connection_lost'],
  ])('errno %i → %s', (errno, kind) => {
    expect(mysqlErrorKind(serverError(errno))).toBe(kind);
  });

  it.each([
    ['ECONNREFUSED', 'connection'],
    ['ENOTFOUND', 'connection'],
    ['ETIMEDOUT', 'connection'],
    ['HANDSHAKE_SSL_ERROR', 'connection'],
    ['ECONNRESET', 'connection_lost'],
    ['EPIPE', 'connection_lost'],
    ['PROTOCOL_CONNECTION_LOST', 'connection_lost'],
  ])('%s → %s', (code, kind) => {
    expect(mysqlErrorKind(clientError(code))).toBe(kind);
  });

  it('reads AggregateErrors of refused addresses and closed connections; anything else is no kind (a StorageError)', () => {
    expect(mysqlErrorKind(new AggregateError([clientError('ECONNREFUSED'), clientError('ECONNREFUSED')]))).toBe('connection');
    expect(mysqlErrorKind(new Error("Can't add new command when connection is in closed state"))).toBe('connection');
    expect(mysqlErrorKind(serverError(1406))).toBeUndefined(); // data too long: a StorageError
    expect(mysqlErrorKind('not an error')).toBeUndefined();
  });
});

describe('MySQL connection failures from a real server are typed and never show the password', () => {
  const PASSWORD = 'S3cret-pw-visible?';

  it('wrong password (1045), unknown database (1049), nobody listening (ECONNREFUSED): ConnectionError, password absent', async () => {
    const user = `nc_pw_${process.pid}`;
    await adminQuery(`CREATE USER IF NOT EXISTS '${user}'@'127.0.0.1' IDENTIFIED BY 'the-right-one'`);
    const database = await freshDatabase();
    try {
      const base = new URL(database.url);
      const wrongPassword = `mysql://${user}:${encodeURIComponent(PASSWORD)}@${base.host}/${database.name}`;
      const unknownDatabase = withDatabase(adminUrl(), 'nc_no_such_database').replace('mysql://root@', `mysql://root:${encodeURIComponent(PASSWORD)}@`);
      const nobody = `mysql://root:${encodeURIComponent(PASSWORD)}@127.0.0.1:${await freePort()}/${database.name}`;
      for (const url of [wrongPassword, unknownDatabase, nobody]) {
        const error = await createStateStore(url, { migrate: false }).then(() => undefined, (failure: unknown) => failure);
        expect(error).toBeInstanceOf(ConnectionError);
        const shown = `${(error as Error).message}\n${(error as Error).stack}\n${JSON.stringify(error)}\n${String((error as Error).cause ?? '')}`;
        expect(shown).not.toContain(PASSWORD);
        expect(shown).not.toContain(encodeURIComponent(PASSWORD));
      }
    } finally {
      await adminQuery(`DROP USER IF EXISTS '${user}'@'127.0.0.1'`);
      await database.drop();
    }
  });

  it('a store opened with migrate: false on an empty database fails its calls with a typed error, not a raw one', async () => {
    const database = await freshDatabase();
    const store = await createMysqlStateStore({ url: database.url, migrate: false });
    try {
      await expect(store.listIncidents()).rejects.toBeInstanceOf(StorageError);
      expect(await adminQuery('SHOW TABLES', [], database.url)).toEqual([]); // and it created nothing
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
