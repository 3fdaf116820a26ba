import { describe, expect, inject, it } from 'vitest';
import { migrationStatus, runMigrations, StorageError } from '@nightcrier/storage-core';
import { createPostgresStateStore } from '../../src/index.js';
import { migrateFromProcesses } from '../support/migrate-from-processes.js';
import { adminQuery } from '../support/store-fixtures.js';
import { citusNodeUrl } from './support/citus-cluster.js';
import { citusTestDatabase } from './support/citus-test-database.js';

interface Distribution {
  table: string;
  method: string;
  column: string;
  colocation: number;
}

/** How Citus holds each of the store's tables: partition method, distribution column, co-location group. */
async function distribution(url: string): Promise<Record<string, Omit<Distribution, 'table'>>> {
  const rows = await adminQuery<Distribution>(
    `select logicalrelid::text as table, partmethod as method, column_to_column_name(logicalrelid, partkey) as column,
            colocationid as colocation
       from pg_dist_partition order by 1`,
    [],
    url,
  );
  return Object.fromEntries(rows.map(({ table, ...rest }) => [table, rest]));
}

const STORE_TABLES = ['agent_execution_owners', 'agent_executions', 'fault_events', 'incidents', 'triage_report_owners', 'triage_reports'];

describe('the Citus schema layout', () => {
  it('distributes every table by hash as the design says: incident-sized tables co-located by incident_id, each id table by its id', async () => {
    const url = await citusTestDatabase('layout');
    await (await createPostgresStateStore({ url })).close();
    const tables = await distribution(url);
    expect(Object.keys(tables)).toEqual(STORE_TABLES);
    expect(Object.values(tables).every((table) => table.method === 'h')).toBe(true);
    expect(tables['incidents']?.column).toBe('incident_id');
    expect(tables['agent_executions']?.column).toBe('incident_id');
    expect(tables['triage_reports']?.column).toBe('incident_id');
    expect(tables['fault_events']?.column).toBe('fault_id');
    expect(tables['agent_execution_owners']?.column).toBe('execution_id');
    expect(tables['triage_report_owners']?.column).toBe('report_id');
    const incidentGroup = tables['incidents']?.colocation;
    expect(tables['agent_executions']?.colocation).toBe(incidentGroup);
    expect(tables['triage_reports']?.colocation).toBe(incidentGroup);

    // Every table's shards are spread over both workers, none kept on the coordinator.
    const placements = await adminQuery<{ table: string; ports: number[] }>(
      'select table_name::text as table, array_agg(distinct nodeport order by nodeport) as ports from citus_shards group by 1 order by 1',
      [],
      url,
    );
    const workers = [...inject('citusPorts').workers].sort((a, b) => a - b);
    expect(placements).toEqual(STORE_TABLES.map((table) => ({ table, ports: workers })));
    console.log(`Citus layout: ${JSON.stringify(tables)}; shards on workers ${workers.join(', ')}`);
  });

  it('migrations racing from two processes apply each migration once, and the tables come out distributed', async () => {
    const url = await citusTestDatabase('race');
    const applied = await migrateFromProcesses(url);
    expect(applied).toEqual(['000001_distributed_schema', '000002_distributed_list_order_indexes', '000003_distributed_bytewise_id_order']);
    expect(Object.keys(await distribution(url))).toEqual(STORE_TABLES);
    expect((await migrationStatus(url)).pending).toEqual([]);
  }, 90_000);

  it('migrates down to nothing and up again: the tables are dropped from the workers too, then distributed anew', async () => {
    const url = await citusTestDatabase('down-up');
    await runMigrations(url);
    const down = await runMigrations(url, { direction: 'down', steps: 3 });
    expect(down.migrations).toEqual(['000003_distributed_bytewise_id_order', '000002_distributed_list_order_indexes', '000001_distributed_schema']);
    expect(await distribution(url)).toEqual({});
    const shards = await adminQuery<{ count: number }>('select count(*)::int as count from citus_shards', [], url);
    expect(shards[0]?.count).toBe(0);
    await runMigrations(url);
    expect(Object.keys(await distribution(url))).toEqual(STORE_TABLES);
  }, 90_000);

  it('refuses a database migrated for single-node PostgreSQL before Citus was installed, and changes nothing', async () => {
    const { coordinator } = inject('citusPorts');
    const database = `nc_single_node_${process.pid}`;
    await adminQuery(`create database "${database}"`, [], citusNodeUrl(coordinator));
    const url = citusNodeUrl(coordinator, database);
    await (await createPostgresStateStore({ url })).close(); // no extension yet: the single-node layout
    await adminQuery('create extension citus', [], url);
    const before = await adminQuery('select version, name from nightcrier_migrations order by version', [], url);

    const refusal = /000001_initial_schema where it needs the citus layout's 000001_distributed_schema: it was migrated with another schema layout/;
    await expect(createPostgresStateStore({ url })).rejects.toThrow(refusal);
    await expect(createPostgresStateStore({ url })).rejects.toBeInstanceOf(StorageError);
    await expect(runMigrations(url)).rejects.toThrow(refusal);
    await expect(createPostgresStateStore({ url, migrate: false })).rejects.toThrow(refusal);

    expect(await adminQuery('select version, name from nightcrier_migrations order by version', [], url)).toEqual(before);
    expect(await distribution(url)).toEqual({});
    const tables = await adminQuery<{ name: string }>("select tablename as name from pg_tables where schemaname = 'public' order by 1", [], url);
    expect(tables.map((table) => table.name)).toEqual(['agent_executions', 'fault_events', 'incidents', 'nightcrier_migrations', 'triage_reports']);
  }, 60_000);
});
