import { describe, expect, it } from 'vitest';
import { defineAdapter, type MigrationFile } from '@nightcrier/storage-core/adapter';
import { migrationStatus, runMigrations, StorageError } from '@nightcrier/storage-core';
import { runNode, SHARED_WORKERS } from '../../../test-support/spawn-node.js';
import { MIGRATIONS } from '../src/generated/migrations.js';
import { mysqlAdapterDefinition } from '../src/mysql-adapter.js';
import { adminQuery, freshDatabase } from './support/store-fixtures.js';

// A migration whose first statement succeeds and whose second fails: on MySQL the first stays done
// (DDL commits as it goes), which is exactly the half-applied state the dirty row must expose.
const HALF_FAILING: MigrationFile = {
  version: MIGRATIONS.length + 1,
  name: `${String(MIGRATIONS.length + 1).padStart(6, '0')}_half_failing`,
  up: 'CREATE TABLE half_done (id INT PRIMARY KEY) ENGINE=InnoDB;\nALTER TABLE no_such_table ADD COLUMN x INT;\n',
  down: 'DROP TABLE IF EXISTS half_done;\n',
};

const withHalfFailing = defineAdapter({
  ...mysqlAdapterDefinition,
  migrations: { ...mysqlAdapterDefinition.migrations, files: () => [...MIGRATIONS, HALF_FAILING] },
});

describe('MySQL migrations (non-transactional DDL)', () => {
  it('a migration that fails part way leaves a dirty version that migrationStatus reports and every later run refuses', async () => {
    const database = await freshDatabase();
    try {
      await expect(withHalfFailing.migrate(database.url, {})).rejects.toThrow(/no_such_table/);
      // Half applied, and visible as such.
      expect(await adminQuery("SHOW TABLES LIKE 'half_done'", [], database.url)).toHaveLength(1);
      const status = await withHalfFailing.migrationStatus(database.url);
      expect(status.dirty).toBe(HALF_FAILING.version);
      expect(status.applied).toEqual([...MIGRATIONS.map((m) => m.name), HALF_FAILING.name]);

      const refusal = await withHalfFailing.migrate(database.url, {}).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(StorageError);
      expect((refusal as Error).message).toMatch(/migration 00000\d failed part way and left the schema dirty/);
      // Opening a store refuses too: its schema is in an unknown state.
      await expect(withHalfFailing.openStore({ url: database.url })).rejects.toThrow(/dirty/);

      // The documented repair: undo by hand, delete the dirty row, migrate again.
      await adminQuery('DROP TABLE half_done', [], database.url);
      await adminQuery('DELETE FROM nightcrier_migrations WHERE version = ?', [HALF_FAILING.version], database.url);
      const repaired = await migrationStatus(database.url);
      expect(repaired.dirty).toBeUndefined();
      expect(repaired.pending).toEqual([]);
    } finally {
      await database.drop();
    }
  });

  it('the built-in migrations leave no dirty row, and a second run applies nothing', async () => {
    const database = await freshDatabase();
    try {
      const first = await runMigrations(database.url);
      expect(first.migrations.length).toBe(MIGRATIONS.length);
      const second = await runMigrations(database.url);
      expect(second.migrations).toEqual([]);
      const rows = await adminQuery<{ dirty: number }>('SELECT dirty FROM nightcrier_migrations', [], database.url);
      expect(rows.map((row) => Number(row.dirty))).toEqual(MIGRATIONS.map(() => 0));
    } finally {
      await database.drop();
    }
  });

  it('two processes migrating one fresh database at once both succeed (GET_LOCK), and the schema is applied once', async () => {
    for (let round = 0; round < 3; round += 1) {
      const database = await freshDatabase();
      try {
        const runs = await Promise.all([runNode(`${SHARED_WORKERS}migrator.mjs`, [database.url]), runNode(`${SHARED_WORKERS}migrator.mjs`, [database.url])]);
        const results = runs.map((run) => JSON.parse(run.lines.at(-1) ?? `{"ok":false,"error":${JSON.stringify(run.stderr)}}`));
        expect(results.map((result) => result.ok)).toEqual([true, true]);
        // One of them applied everything, the other found nothing left to do.
        expect(results.map((result) => result.migrations.length).sort()).toEqual([0, MIGRATIONS.length]);
        const versions = await adminQuery<{ version: number }>('SELECT version FROM nightcrier_migrations ORDER BY version', [], database.url);
        expect(versions.map((row) => Number(row.version))).toEqual(MIGRATIONS.map((m) => m.version));
      } finally {
        await database.drop();
      }
    }
  }, 60_000);
});
