import { adminQuery } from '../../support/store-fixtures.js';

/** The worker port that holds the row of `table` whose distribution column is `id`. */
export async function workerOf(url: string, table: string, id: string): Promise<number> {
  const [row] = await adminQuery<{ port: number }>(
    'select nodeport as port from citus_shards where shardid = get_shard_id_for_distribution_column($1::regclass, $2::text)',
    [table, id],
    url,
  );
  if (row === undefined) throw new Error(`no shard of ${table} for ${id}`);
  return row.port;
}
