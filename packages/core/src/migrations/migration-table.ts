import { type CompiledQuery, type Kysely, sql } from 'kysely';
import type { Session } from '../adapter/adapter-connection.js';
import type { StorageSchema } from '../query/storage-schema.js';

/** One applied (or, without transactional DDL, attempted) migration, as its row says. */
export interface AppliedMigration {
  version: number;
  name: string;
  dirty: boolean;
}

/**
 * The statements on `nightcrier_migrations`, kept apart from Go's `schema_migrations` so both can
 * share a database. The `dirty` column exists only where DDL is not transactional: there a row is
 * written before its script runs and marked clean after it, so a migration that failed part way
 * stays visible.
 */
export class MigrationTable {
  constructor(
    private readonly db: Kysely<StorageSchema>,
    private readonly tracksDirty: boolean,
  ) {}

  async ensure(session: Session): Promise<void> {
    let create = this.db.schema
      .createTable('nightcrier_migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('applied_at', 'text', (column) => column.notNull());
    if (this.tracksDirty) create = create.addColumn('dirty', 'boolean', (column) => column.notNull().defaultTo(false));
    await session.execute(create.compile());
  }

  async read(session: Session): Promise<AppliedMigration[]> {
    const columns = this.tracksDirty ? sql`version, name, dirty` : sql`version, name`;
    const query = sql<Record<string, unknown>>`select ${columns} from nightcrier_migrations order by version`.compile(this.db);
    const { rows } = await session.execute(query);
    return rows.map((row) => ({ version: Number(row['version']), name: String(row['name']), dirty: Boolean(Number(row['dirty'] ?? 0)) }));
  }

  /** Records `version` as applied — as dirty first, where DDL is not transactional. */
  record(version: number, name: string, dirty: boolean): CompiledQuery {
    const row = { version, name, applied_at: new Date().toISOString() };
    return this.db
      .insertInto('nightcrier_migrations')
      .values(this.tracksDirty ? { ...row, dirty } : row)
      .compile();
  }

  markClean(version: number): CompiledQuery {
    return this.db.updateTable('nightcrier_migrations').set({ dirty: false }).where('version', '=', version).compile();
  }

  markDirty(version: number): CompiledQuery {
    return this.db.updateTable('nightcrier_migrations').set({ dirty: true }).where('version', '=', version).compile();
  }

  remove(version: number): CompiledQuery {
    return this.db.deleteFrom('nightcrier_migrations').where('version', '=', version).compile();
  }
}
