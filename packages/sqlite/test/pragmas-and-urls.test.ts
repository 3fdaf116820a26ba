import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ConnectionError, createStateStore, migrationStatus, runMigrations, StorageError, ValidationError } from '@nightcrier/storage-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStateStore, parseSqliteUrl } from '../src/index.js';
import { openSqliteDatabase, STATEMENT_BUSY_TIMEOUT_MS } from '../src/open-sqlite-database.js';
import { MIGRATIONS } from '../src/generated/migrations.js';

const folder = mkdtempSync(join(tmpdir(), 'nightcrier-sqlite-setup-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('SQLite connection pragmas', () => {
  it('a file connection uses WAL, foreign keys, a short statement busy timeout and synchronous NORMAL by default', async () => {
    const database = await openSqliteDatabase({ filename: join(folder, 'pragmas.db') });
    try {
      expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(database.pragma('foreign_keys', { simple: true })).toBe(1);
      // A statement blocks the thread this long at most; the rest of a lock wait is asynchronous.
      expect(database.pragma('busy_timeout', { simple: true })).toBe(STATEMENT_BUSY_TIMEOUT_MS);
      expect(database.pragma('synchronous', { simple: true })).toBe(1);
    } finally {
      database.close();
    }
  });

  it('honours synchronous: full', async () => {
    const database = await openSqliteDatabase({ filename: join(folder, 'pragmas-full.db'), synchronous: 'full' });
    try {
      expect(database.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      database.close();
    }
  });

  it('a :memory: connection has foreign keys and the busy timeout too', async () => {
    const database = await openSqliteDatabase({ filename: ':memory:' });
    try {
      expect(database.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(database.pragma('busy_timeout', { simple: true })).toBe(STATEMENT_BUSY_TIMEOUT_MS);
    } finally {
      database.close();
    }
  });
});

describe('SQLite URLs', () => {
  it.each([
    ['sqlite:relative/path.db', 'relative/path.db'],
    ['sqlite:./nightcrier.db', './nightcrier.db'],
    ['sqlite:///absolute/path.db', '/absolute/path.db'],
    ['sqlite::memory:', ':memory:'],
    ['file:path.db', 'path.db'],
    ['file:///absolute/path.db', '/absolute/path.db'],
    [':memory:', ':memory:'],
    ['sqlite:with%20space.db', 'with space.db'],
  ])('%s names %s', (url, filename) => {
    expect(parseSqliteUrl(url).filename).toBe(filename);
  });

  it('reads busy_timeout and synchronous parameters and refuses unknown ones', () => {
    expect(parseSqliteUrl('sqlite:a.db?busy_timeout=100&synchronous=full')).toEqual({ filename: 'a.db', busyTimeoutMs: 100, synchronous: 'full' });
    expect(() => parseSqliteUrl('sqlite:a.db?mode=ro')).toThrow(ValidationError);
    expect(() => parseSqliteUrl('sqlite:a.db?synchronous=off')).toThrow(ValidationError);
    expect(() => parseSqliteUrl('sqlite:')).toThrow(ValidationError);
  });

  it('every URL form opens a working store through createStateStore, creating missing folders', async () => {
    const absolute = join(folder, 'nested', 'deeper', 'abs.db');
    const relativePath = relative(process.cwd(), join(folder, 'rel', 'rel.db'));
    const urls = [
      `sqlite://${absolute}`,
      `sqlite:${relativePath}`,
      `file:${join(folder, 'file-form.db')}`,
      `file://${join(folder, 'file-abs.db')}`,
      'sqlite::memory:',
      ':memory:',
    ];
    for (const url of urls) {
      const store = await createStateStore(url);
      try {
        await store.health();
        expect(await store.listIncidents()).toEqual([]);
      } finally {
        await store.close();
      }
    }
    expect(existsSync(absolute)).toBe(true);
    expect(existsSync(join(folder, 'rel', 'rel.db'))).toBe(true);
  });
});

describe('SQLite migrations', () => {
  it('up, status, down step by step and up again', async () => {
    const url = `sqlite://${join(folder, 'migrations.db')}`;
    const all = MIGRATIONS.map((file) => file.name);
    expect(all.slice(0, 2)).toEqual(['000001_initial_schema', '000002_list_order_indexes']);
    // Reading the status creates nothing: a missing file is an error.
    await expect(migrationStatus(url)).rejects.toBeInstanceOf(ConnectionError);
    expect(existsSync(join(folder, 'migrations.db'))).toBe(false);
    expect(await runMigrations(url, { steps: 1 })).toEqual({ direction: 'up', migrations: all.slice(0, 1) });
    expect(await migrationStatus(url)).toEqual({ applied: all.slice(0, 1), pending: all.slice(1), unknown: [] });
    expect(await runMigrations(url)).toEqual({ direction: 'up', migrations: all.slice(1) });
    expect(await runMigrations(url)).toEqual({ direction: 'up', migrations: [] });
    expect(await migrationStatus(url)).toEqual({ applied: all, pending: [], unknown: [] });
    expect(await runMigrations(url, { direction: 'down' })).toEqual({ direction: 'down', migrations: all.slice(-1) });
    expect(await runMigrations(url, { direction: 'down', steps: 99 })).toEqual({
      direction: 'down',
      migrations: all.slice(0, -1).reverse(),
    });
    expect(await migrationStatus(url)).toEqual({ applied: [], pending: all, unknown: [] });
    expect(await runMigrations(url)).toEqual({ direction: 'up', migrations: all });
  });

  it('refuses a bad direction or step count', async () => {
    const url = `sqlite://${join(folder, 'migrations-bad.db')}`;
    await expect(runMigrations(url, { steps: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(runMigrations(url, { direction: 'sideways' as 'up' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('onMigration hears of each migration as it is committed; a throwing one changes nothing', async () => {
    const url = `sqlite://${join(folder, 'migrations-progress.db')}`;
    const all = MIGRATIONS.map((file) => file.name);
    const heard: string[] = [];
    expect(await runMigrations(url, { onMigration: (name) => heard.push(name) })).toEqual({ direction: 'up', migrations: all });
    expect(heard).toEqual(all);
    const throwing = () => {
      throw new Error('a broken progress display');
    };
    expect(await runMigrations(url, { direction: 'down', steps: 2, onMigration: throwing })).toEqual({
      direction: 'down',
      migrations: all.slice(-2).reverse(),
    });
    expect((await migrationStatus(url)).pending).toEqual(all.slice(-2));
    // @ts-expect-error a string is not a callback
    await expect(runMigrations(url, { onMigration: 'yes' })).rejects.toBeInstanceOf(ValidationError);
    expect((await migrationStatus(url)).pending).toEqual(all.slice(-2));
  });

  it('a store opened with migrate: false creates no missing file', async () => {
    const filename = join(folder, 'never-created', 'missing.db');
    await expect(createSqliteStateStore({ filename, migrate: false })).rejects.toBeInstanceOf(ConnectionError);
    expect(existsSync(join(folder, 'never-created'))).toBe(false);
  });

  it('a store opened with migrate: false on an empty file fails with a typed error, not a raw one', async () => {
    const filename = join(folder, 'unmigrated.db');
    new BetterSqlite3(filename).close();
    const store = await createSqliteStateStore({ filename, migrate: false });
    try {
      await expect(store.listIncidents()).rejects.toBeInstanceOf(StorageError);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite schema versions and paths', () => {
  it('a database migrated by a newer version fails at open, unless allowNewerSchema', async () => {
    const filename = join(folder, 'newer.db');
    await runMigrations(`sqlite://${filename}`);
    const database = new BetterSqlite3(filename);
    database.prepare("insert into nightcrier_migrations (version, name, applied_at) values (999999, '999999_from_the_future', 'x')").run();
    database.close();
    const error = await createSqliteStateStore({ filename }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toContain('database schema 999999_from_the_future is newer than this version knows');
    await expect(runMigrations(`sqlite://${filename}`)).rejects.toBeInstanceOf(StorageError);
    expect((await migrationStatus(`sqlite://${filename}`)).unknown).toEqual(['999999_from_the_future']);
    const store = await createSqliteStateStore({ filename, allowNewerSchema: true });
    try {
      expect(await store.listIncidents()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('a path holding a NUL is a ValidationError, and no file is created', async () => {
    await expect(createSqliteStateStore({ filename: join(folder, 'a\u0000b.db') })).rejects.toBeInstanceOf(ValidationError);
    await expect(createStateStore(`sqlite://${join(folder, 'c%00d.db')}`)).rejects.toBeInstanceOf(ValidationError);
    expect(existsSync(join(folder, 'a'))).toBe(false);
    expect(existsSync(join(folder, 'c'))).toBe(false);
  });

  it('a path under /proc fails at once with ConnectionError (no endless mkdir)', async () => {
    const started = Date.now();
    await expect(createSqliteStateStore({ filename: '/proc/nightcrier/sub/state.db' })).rejects.toBeInstanceOf(ConnectionError);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('SQLite close() is bounded', () => {
  it('a transaction that never finishes: close() gives up after closeTimeoutMs, rolls it back and says so', async () => {
    const filename = join(folder, 'close-bounded.db');
    const store = await createSqliteStateStore({ filename, closeTimeoutMs: 300 });
    const event = { faultId: 'hang-f', receivedAt: new Date(), subscriptionId: 's', cluster: 'hang', faultType: 'OOMKilled', severity: 'high', context: '', timestamp: '' };
    const hanging = store.transaction(async (tx) => {
      await tx.createIncident({ ...event, incidentId: 'hang', status: 'pending', createdAt: new Date() }, event);
      await new Promise(() => undefined); // never settles
    });
    hanging.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const closing = await store.close().then(() => 'resolved', (error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(closing).toBeInstanceOf(Error);
    expect((closing as { code?: string }).code).toBe('TIMEOUT');
    expect((closing as Error).message).toContain('1 call(s) still ran after 300 ms');
    await expect(hanging).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(store.close()).resolves.toBeUndefined();
    const reopened = await createSqliteStateStore({ filename });
    try {
      await expect(reopened.getIncident('hang')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await reopened.close();
    }
  });
});
