import { CompiledQuery } from 'kysely';
import type { SchemaLayout, Session } from '@nightcrier/storage-core/adapter';
import { MIGRATIONS as CITUS_MIGRATIONS } from './generated/citus-migrations.js';
import { takeMigrationLock } from './migration-lock.js';
import { sqlStatements } from './sql-statements.js';

/**
 * The schema on a Citus cluster (migrations/citus): the same tables, distributed over the workers
 * and co-located by incident, with executionId and reportId kept unique through owner tables.
 */
export const CITUS_LAYOUT: SchemaLayout = {
  name: 'citus',
  capabilities: { idUniqueness: 'owner-table' },
  migrations: { files: () => CITUS_MIGRATIONS, lock: takeMigrationLock, runScript: oneStatementAtATime },
};

/** Citus propagates DDL to the workers with the text of the query that carried it, and a query of several statements is refused there. */
async function oneStatementAtATime(session: Session, script: string): Promise<void> {
  for (const statement of sqlStatements(script)) await session.executeScript(statement);
}

const HAS_CITUS = CompiledQuery.raw("select 1 as citus from pg_extension where extname = 'citus'");

/**
 * The Citus layout when the database has the `citus` extension: automatic, because a table of a
 * Citus database that is not distributed lives on the coordinator alone and does not scale out —
 * never what a user who installed Citus wants. A database migrated before the extension came is
 * refused rather than converted (see the README's Citus section).
 */
export async function detectCitus(session: Session): Promise<SchemaLayout | undefined> {
  const { rows } = await session.execute(HAS_CITUS);
  return rows.length > 0 ? CITUS_LAYOUT : undefined;
}
