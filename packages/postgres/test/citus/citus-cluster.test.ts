import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CitusCluster, startCitusCluster } from './support/citus-cluster.js';
import { locateExternalTools } from './support/external-tools.js';
import { adminQuery } from './support/store-fixtures.js';
import { handOverToDatabaseUser } from './support/temp-postgres-server.js';

const tools = locateExternalTools();

// The cluster the Citus tests run on (issue 11): a coordinator and two workers of the test's own.
describe('a Citus cluster of the tests’ own', () => {
  let baseDirectory = '';
  let cluster: CitusCluster;

  beforeAll(async () => {
    if (tools.missing.length > 0) throw new Error(`the Citus tests need ${tools.missing.join(', ')}`);
    baseDirectory = mkdtempSync(join(tmpdir(), 'nightcrier-citus-'));
    await handOverToDatabaseUser(baseDirectory);
    cluster = await startCitusCluster({ tools, baseDirectory });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    if (baseDirectory !== '') rmSync(baseDirectory, { recursive: true, force: true });
  });

  it('the coordinator lists both workers, and a hash-distributed table spreads its shards and rows over both', async () => {
    const url = cluster.urlOf();
    const active = await adminQuery<{ nodeport: number }>('select node_port::int as nodeport from citus_get_active_worker_nodes() order by node_port', [], url);
    expect(active.map((node) => node.nodeport)).toEqual(cluster.workers.map((worker) => worker.port).sort((a, b) => a - b));

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
