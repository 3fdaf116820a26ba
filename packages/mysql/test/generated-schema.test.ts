// Ties the committed kysely-codegen types (src/generated/database.ts, from `pnpm codegen`) to core's
// query layer, so neither can drift from the other or from the migrations:
// - type level (`pnpm typecheck`): the generated DB has StorageSchema's tables and columns, the values
//   MySQL returns, as the session hands them on (SessionRow below), fit what the query layer reads,
//   and the same columns are nullable;
// - runtime: the store's migrated database has exactly the columns the query layer writes, table by
//   table, and a session really returns what SessionRow says for each column type.
// `pnpm codegen:check` ties the generated file to the migrations. Mirrors the postgres and sqlite
// packages' tests; SessionRow is the one step they do not need.
import { CompiledQuery, type Selectable } from 'kysely';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { StatementWatchdog } from '@nightcrier/storage-core/adapter';
import { queryLayerColumns } from '@nightcrier/storage-core/conformance';
import { makeEvent, makeExecution, makeFullIncident, makeReport } from '../../core/src/conformance/fixtures.js';
import type { StorageSchema } from '../../core/src/query/storage-schema.js';
import type { DB } from '../src/generated/database.js';
import { createMysqlStateStore } from '../src/index.js';
import { mysqlCodecs } from '../src/mysql-codecs.js';
import { type MysqlConnection, mysqlConnectionFactory, sessionOptions } from '../src/mysql-connections.js';
import { MysqlSession } from '../src/mysql-session.js';
import { parseMysqlUrl } from '../src/parse-mysql-url.js';
import { adminQuery, freshDatabase } from './support/store-fixtures.js';

/**
 * The JSON columns of the migrations. MariaDB's JSON is an alias of LONGTEXT (with a json_valid
 * check), so kysely-codegen, reading the column type, types them `string`; mysql2 still sees the
 * column's JSON format in the result metadata and returns the parsed value (MySQL 8 has a real
 * JSON type, and kysely-codegen run there says `Json`). The last test checks this list is exact.
 */
const JSON_COLUMNS = { agent_executions: ['log_paths'] } as const;
type JsonColumnOf<Table> = Table extends keyof typeof JSON_COLUMNS ? (typeof JSON_COLUMNS)[Table][number] : never;
/** What JSON.parse can return; a JSON column holding the JSON literal null reads as null too. */
type JsonValue = boolean | number | string | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * What MysqlSession hands the query layer for a value kysely-codegen typed `T`. kysely-codegen
 * types columns by their SQL type; the store's sessions differ in documented ways, restated here
 * at the type level instead of casting:
 * - VARBINARY (ids and keys; kysely-codegen: `Buffer`) is decoded from UTF-8 to a `string`
 *   (`decodeBinary` in mysql-session.ts): the store writes only well-formed UTF-8 there;
 * - DATETIME(3) (kysely-codegen: `Date`) arrives as its text, `YYYY-MM-DD HH:MM:SS.mmm`, because
 *   the connections run with `dateStrings: true` (mysql-connections.ts); mysqlCodecs parses it;
 * - a JSON column (see JSON_COLUMNS) arrives parsed.
 * Every other type passes unchanged. Distributes over unions, so `Buffer | null` becomes `string | null`.
 */
type AsSessionReads<T> = T extends Buffer ? string : T extends Date ? string : T;
type AsParsedJson<T> = T extends null ? null : JsonValue;
/** A selected row of generated table `Table`, as the session returns it. */
type SessionRow<Table extends keyof DB> = {
  [K in keyof Selectable<DB[Table]>]: K extends JsonColumnOf<Table> ? AsParsedJson<Selectable<DB[Table]>[K]> : AsSessionReads<Selectable<DB[Table]>[K]>;
};

/** The columns of table type `T` whose selected value can be null. */
type NullableColumns<T> = NullableKeys<Selectable<T>>;
type NullableKeys<R> = { [K in keyof R]-?: null extends R[K] ? K : never }[keyof R];
type QueryTables = Exclude<keyof StorageSchema, 'nightcrier_migrations'>;

/** The JavaScript type a session returns for each column type the migrations use (per SessionRow; JSON columns aside). */
const SESSION_TYPE_BY_DATA_TYPE: Readonly<Record<string, 'string' | 'number'>> = {
  varbinary: 'string',
  datetime: 'string',
  int: 'number',
  longtext: 'string',
};

const isJsonColumn = (table: string, column: string): boolean =>
  Object.entries(JSON_COLUMNS).some(([jsonTable, jsonColumns]) => jsonTable === table && jsonColumns.some((name) => name === column));

interface ColumnInfo {
  table_name: string;
  column_name: string;
  data_type: string;
}

/** Tables and columns of `url`'s database, bookkeeping table left out. */
function columnsOf(url: string): Promise<ColumnInfo[]> {
  return adminQuery<ColumnInfo>(
    `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, DATA_TYPE AS data_type FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'nightcrier_migrations' ORDER BY TABLE_NAME, COLUMN_NAME`,
    [],
    url,
  );
}

/** Tables and columns of a database migrated by the store itself. */
async function migratedColumns(): Promise<Record<string, string[]>> {
  const database = await freshDatabase();
  try {
    await (await createMysqlStateStore({ url: database.url })).close();
    const tables: Record<string, string[]> = {};
    for (const row of await columnsOf(database.url)) (tables[row.table_name] ??= []).push(row.column_name);
    return Object.fromEntries(Object.entries(tables).map(([table, columns]) => [table, columns.sort()]));
  } finally {
    await database.drop();
  }
}

/** A MysqlSession on its own connection to `url`, opened the way the store opens its pool's. */
async function openSession(url: string): Promise<{ session: MysqlSession; close: () => Promise<void> }> {
  const options = sessionOptions(parseMysqlUrl(url).connection, { connectTimeoutMs: 10_000, keepAliveMs: 0 });
  const factory = mysqlConnectionFactory(options);
  const connection = await factory.open(() => undefined, undefined);
  // silenceMs 0: the watchdog is off, so neither its probe nor its destroy is ever called.
  const watchdog = new StatementWatchdog<MysqlConnection>({ silenceMs: 0, probe: async () => 'unknown', destroy: () => undefined });
  const session = new MysqlSession({ connection, release: () => undefined }, options, watchdog);
  return { session, close: () => factory.close(connection) };
}

describe('generated MySQL schema types', () => {
  it("have core's StorageSchema tables and columns, with compatible types (checked by tsc)", () => {
    expectTypeOf<keyof ReturnType<typeof queryLayerColumns>>().toEqualTypeOf<keyof DB>();
    expectTypeOf<keyof DB>().toEqualTypeOf<QueryTables>();

    expectTypeOf<keyof DB['fault_events']>().toEqualTypeOf<keyof StorageSchema['fault_events']>();
    expectTypeOf<keyof DB['incidents']>().toEqualTypeOf<keyof StorageSchema['incidents']>();
    expectTypeOf<keyof DB['agent_executions']>().toEqualTypeOf<keyof StorageSchema['agent_executions']>();
    expectTypeOf<keyof DB['triage_reports']>().toEqualTypeOf<keyof StorageSchema['triage_reports']>();

    expectTypeOf<SessionRow<'fault_events'>>().toExtend<Selectable<StorageSchema['fault_events']>>();
    expectTypeOf<SessionRow<'incidents'>>().toExtend<Selectable<StorageSchema['incidents']>>();
    expectTypeOf<SessionRow<'agent_executions'>>().toExtend<Selectable<StorageSchema['agent_executions']>>();
    expectTypeOf<SessionRow<'triage_reports'>>().toExtend<Selectable<StorageSchema['triage_reports']>>();

    expectTypeOf<NullableColumns<DB['fault_events']>>().toEqualTypeOf<NullableColumns<StorageSchema['fault_events']>>();
    expectTypeOf<NullableColumns<DB['incidents']>>().toEqualTypeOf<NullableColumns<StorageSchema['incidents']>>();
    expectTypeOf<NullableColumns<DB['agent_executions']>>().toEqualTypeOf<NullableColumns<StorageSchema['agent_executions']>>();
    expectTypeOf<NullableColumns<DB['triage_reports']>>().toEqualTypeOf<NullableColumns<StorageSchema['triage_reports']>>();
  });

  it('need SessionRow: the raw generated types (Buffer ids) do not fit the query layer', () => {
    // If kysely-codegen ever typed VARBINARY as string, SessionRow would be redundant: this says so.
    expectTypeOf<Selectable<DB['incidents']>['incident_id']>().toEqualTypeOf<Buffer>();
    expectTypeOf<Selectable<DB['incidents']>>().not.toExtend<Selectable<StorageSchema['incidents']>>();
    expectTypeOf<SessionRow<'incidents'>['incident_id']>().toEqualTypeOf<string>();
    expectTypeOf<SessionRow<'incidents'>['namespace']>().toEqualTypeOf<string | null>();
    expectTypeOf<SessionRow<'incidents'>['created_at']>().toEqualTypeOf<string>();
    expectTypeOf<SessionRow<'agent_executions'>['log_paths']>().toEqualTypeOf<JsonValue>();
  });

  it('match a migrated database: it has exactly the tables and columns the query layer writes', async () => {
    expect(await migratedColumns()).toEqual(queryLayerColumns(mysqlCodecs));
  });

  it('SessionRow is what a session returns: every column of every table, as the store wrote it', async () => {
    const database = await freshDatabase();
    const store = await createMysqlStateStore({ url: database.url });
    const { session, close } = await openSession(database.url);
    try {
      // Every optional field set, so no column is null and each value shows its type.
      const event = makeEvent('schema-fault', { resource: { apiVersion: 'v1', kind: 'Pod', name: 'web-0', namespace: 'shop', uid: 'uid-1' } });
      await store.createIncident(makeFullIncident('schema-incident', event, { namespace: 'shop', triggeringEventId: event.faultId }), event);
      await store.recordAgentExecution(
        makeExecution('schema-execution', 'schema-incident', { completedAt: new Date(), exitCode: 0, errorMessage: 'none', logPaths: { agent: '/a.log' } }),
      );
      await store.recordTriageReport(makeReport('schema-report', 'schema-incident', 'schema-execution', { reportHtml: '<p>ok</p>' }));

      const columns = await columnsOf(database.url);
      const mismatches: string[] = [];
      for (const table of new Set(columns.map((column) => column.table_name))) {
        // With a parameter: a server-side prepared statement (binary protocol), as the store's reads run.
        const { rows } = await session.execute(CompiledQuery.raw(`SELECT * FROM \`${table}\` WHERE 1 = ?`, [1]));
        expect(rows).toHaveLength(1);
        const row = rows[0] ?? {};
        for (const { column_name: column, data_type: dataType } of columns.filter((entry) => entry.table_name === table)) {
          // The JSON value stored above is an object; every other column holds a string or a number.
          const expected = isJsonColumn(table, column) ? 'object' : SESSION_TYPE_BY_DATA_TYPE[dataType];
          const value = row[column];
          const actual = value === null ? 'null' : Buffer.isBuffer(value) ? 'Buffer' : typeof value;
          if (expected === undefined || actual !== expected) mismatches.push(`${table}.${column} (${dataType}): ${actual}, expected ${expected ?? 'a mapping'}`);
          if (dataType === 'datetime') expect(value).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
        }
      }
      expect(mismatches).toEqual([]);
    } finally {
      await close();
      await store.close();
      await database.drop();
    }
  });
});
