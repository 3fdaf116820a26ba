import { CompiledQuery } from 'kysely';
import type { Session } from '@nightcrier/storage-core/adapter';

// One advisory lock key for every nightcrier migrator on a database ("nightcri" in ASCII). Taken
// with pg_advisory_xact_lock inside each migration's transaction: released by its commit, so it
// works through a transaction pooler such as PgBouncer, where session locks do not. On Citus the
// lock is the coordinator's own, which every migrator connects to.
const MIGRATION_LOCK = CompiledQuery.raw(`select pg_advisory_xact_lock(${0x6e69676874637269n}::bigint)`);

/** Makes concurrent migrators of one database take turns (the `lock` migration hook of both layouts). */
export async function takeMigrationLock(session: Session): Promise<void> {
  await session.execute(MIGRATION_LOCK);
}
