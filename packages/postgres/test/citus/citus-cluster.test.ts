import { beforeAll, describe, expect, inject, it } from 'vitest';
import { adminQuery } from '../support/store-fixtures.js';
import { citusTestDatabase } from './support/citus-test-database.js';

// The cluster the Citus tests run on: a coordinator and two workers of the run's own.
describe('a Citus cluster of the tests’ own', () => {
  let url = '';

  beforeAll(async () => {
    url = await citusTestDatabase('cluster');
  });

  it('the coordinator lists both workers, and a hash-distributed table spreads its shards and rows over both', async () => {
    const { workers } = inject('citusPorts');
    const active = await adminQuery<{ nodeport: number }>('select node_port::int as nodeport from citus_get_active_worker_nodes() order by node_port', [], url);
    expect(active.map((node) => node.nodeport)).toEqual([...workers].sort((a, b) => a - b));

    await adminQuery('create table probe (id text primary key, n int not null)', [], url);
    await adminQuery("select create_distributed_table('probe', 'id')", [], url);
    await adminQuery("insert into probe select 'id-' || i, i from generate_series(1, 200) as i", [], url);
    const [partition] = await adminQuery<{ partmethod: string }>("select partmethod from pg_dist_partition where logicalrelid = 'probe'::regclass", [], url);
    expect(partition?.partmethod).toBe('h');
    const placed = await adminQuery<{ nodeport: number; rows: string }>(
      `select s.nodeport, sum(c.result::bigint)::text as rows
         from citus_shards s join run_command_on_shards('probe', 'select count(*) from %s') c on c.shardid = s.shardid
        where s.table_name = 'probe'::regclass group by s.nodeport order by s.nodeport`,
      [],
      url,
    );
    console.log(`Citus: workers on ${active.map((node) => node.nodeport).join(', ')}; rows per worker ${JSON.stringify(placed)}`);
    expect(placed.map((row) => row.nodeport)).toEqual(active.map((node) => node.nodeport));
    expect(placed.every((row) => Number(row.rows) > 0)).toBe(true);
    expect(placed.reduce((sum, row) => sum + Number(row.rows), 0)).toBe(200);
  }, 60_000);
});
