// Ties the committed kysely-codegen types (src/generated/database.ts, from `pnpm codegen`) to core's
// query layer, so neither can drift from the other or from the migrations:
// - type level (`pnpm typecheck`): the generated DB has StorageSchema's tables and columns, the values
//   PostgreSQL returns fit what the query layer reads, and the same columns are nullable;
// - runtime: the store's migrated database has exactly the columns the query layer writes, table by table.
// `pnpm codegen:check` ties the generated file to the migrations. Mirrors the sqlite package's test.
import type { Selectable } from 'kysely';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { queryLayerColumns } from '@nightcrier/storage-core/conformance';
import type { StorageSchema } from '../../core/src/query/storage-schema.js';
import type { DB } from '../src/generated/database.js';
import { postgresCodecs } from '../src/postgres-codecs.js';
import { adminQuery, freshDatabase } from './support/store-fixtures.js';

/** The columns of table type `T` whose selected value can be null. */
type NullableColumns<T> = NullableKeys<Selectable<T>>;
type NullableKeys<R> = { [K in keyof R]-?: null extends R[K] ? K : never }[keyof R];
type QueryTables = Exclude<keyof StorageSchema, 'nightcrier_migrations'>;

/** Tables and columns of a database migrated by the store (the run's template), bookkeeping table left out. */
async function migratedColumns(): Promise<Record<string, string[]>> {
  const database = await freshDatabase();
  try {
    const rows = await adminQuery<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns
        where table_schema = current_schema() and table_name <> 'nightcrier_migrations'
        order by table_name, column_name`,
      [],
      database.url,
    );
    const tables: Record<string, string[]> = {};
    for (const row of rows) (tables[row.table_name] ??= []).push(row.column_name);
    return Object.fromEntries(Object.entries(tables).map(([table, columns]) => [table, columns.sort()]));
  } finally {
    await database.drop();
  }
}

describe('generated PostgreSQL schema types', () => {
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
    expect(await migratedColumns()).toEqual(queryLayerColumns(postgresCodecs));
  });
});
