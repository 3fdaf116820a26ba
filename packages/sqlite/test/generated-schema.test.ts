// Ties the committed kysely-codegen types (src/generated/database.ts, from `pnpm codegen`) to core's
// query layer, so neither can drift from the other or from the migrations:
// - type level (`pnpm typecheck`): the generated DB has StorageSchema's tables and columns, the values
//   SQLite returns fit what the query layer reads, and the same columns are nullable;
// - runtime: the store's migrated database has exactly the columns the query layer writes, table by table.
// `pnpm codegen:check` ties the generated file to the migrations. Mirrors the postgres package's test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Selectable } from 'kysely';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { queryLayerColumns } from '@nightcrier/storage-core/conformance';
import type { StorageSchema } from '../../core/src/query/storage-schema.js';
import type { DB } from '../src/generated/database.js';
import { createSqliteStateStore } from '../src/index.js';
import { sqliteCodecs } from '../src/sqlite-codecs.js';

/** The columns of table type `T` whose selected value can be null. */
type NullableColumns<T> = NullableKeys<Selectable<T>>;
type NullableKeys<R> = { [K in keyof R]-?: null extends R[K] ? K : never }[keyof R];
type QueryTables = Exclude<keyof StorageSchema, 'nightcrier_migrations'>;

const folder = mkdtempSync(join(tmpdir(), 'nightcrier-sqlite-generated-schema-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Tables and columns of a database migrated by the store itself (its bookkeeping table left out). */
async function migratedColumns(): Promise<Record<string, string[]>> {
  const filename = join(folder, 'migrated.db');
  await (await createSqliteStateStore({ filename })).close();
  const database = new Database(filename, { readonly: true });
  try {
    const tables = database
      .prepare<[], { name: string }>(
        "select name from sqlite_schema where type = 'table' and name not like 'sqlite\\_%' escape '\\' and name <> 'nightcrier_migrations'",
      )
      .all()
      .map((row) => row.name);
    const columns = (table: string) =>
      database
        .prepare<[string], { name: string }>('select name from pragma_table_info(?)')
        .all(table)
        .map((row) => row.name);
    return Object.fromEntries(tables.map((table) => [table, columns(table).sort()]));
  } finally {
    database.close();
  }
}

describe('generated SQLite schema types', () => {
  it("have core's StorageSchema tables and columns, with compatible types (checked by tsc)", () => {
    expectTypeOf<keyof ReturnType<typeof queryLayerColumns>>().toEqualTypeOf<keyof DB>();
    expectTypeOf<keyof DB>().toEqualTypeOf<QueryTables>();

    expectTypeOf<keyof DB['fault_events']>().toEqualTypeOf<keyof StorageSchema['fault_events']>();
    expectTypeOf<keyof DB['incidents']>().toEqualTypeOf<keyof StorageSchema['incidents']>();
    expectTypeOf<keyof DB['agent_executions']>().toEqualTypeOf<keyof StorageSchema['agent_executions']>();
    expectTypeOf<keyof DB['triage_reports']>().toEqualTypeOf<keyof StorageSchema['triage_reports']>();

    expectTypeOf<Selectable<DB['fault_events']>>().toExtend<Selectable<StorageSchema['fault_events']>>();
    expectTypeOf<Selectable<DB['incidents']>>().toExtend<Selectable<StorageSchema['incidents']>>();
    expectTypeOf<Selectable<DB['agent_executions']>>().toExtend<Selectable<StorageSchema['agent_executions']>>();
    expectTypeOf<Selectable<DB['triage_reports']>>().toExtend<Selectable<StorageSchema['triage_reports']>>();

    expectTypeOf<NullableColumns<DB['fault_events']>>().toEqualTypeOf<NullableColumns<StorageSchema['fault_events']>>();
    expectTypeOf<NullableColumns<DB['incidents']>>().toEqualTypeOf<NullableColumns<StorageSchema['incidents']>>();
    expectTypeOf<NullableColumns<DB['agent_executions']>>().toEqualTypeOf<NullableColumns<StorageSchema['agent_executions']>>();
    expectTypeOf<NullableColumns<DB['triage_reports']>>().toEqualTypeOf<NullableColumns<StorageSchema['triage_reports']>>();
  });

  it('match a migrated database: it has exactly the tables and columns the query layer writes', async () => {
    expect(await migratedColumns()).toEqual(queryLayerColumns(sqliteCodecs));
  });
});
