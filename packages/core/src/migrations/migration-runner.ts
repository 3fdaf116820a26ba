import type { Kysely } from 'kysely';
import { StorageError, ValidationError } from '../errors/state-store-error.js';
import type { StorageSchema } from '../query/storage-schema.js';
import { normalizeError } from '../store/normalize-error.js';
import type { DriverErrorKind } from '../store/store-driver.js';
import type { MigrationFile, MigrationOptions, MigrationResult, MigrationStatus } from './migration-types.js';

type Db = Kysely<StorageSchema>;

/** What a dialect supplies so that core can run its migrations safely from several processes. */
export interface MigrationDialect {
  /** Runs `fn` on one connection while holding a database-wide lock that other migrators wait for. */
  withMigrationLock<T>(db: Db, fn: (connection: Db) => Promise<T>): Promise<T>;
  /** Runs `fn` in a transaction on `connection` (or directly, when the lock already is one). */
  inMigrationTransaction(connection: Db, fn: () => Promise<void>): Promise<void>;
  /** Executes SQL text holding several statements. */
  executeScript(connection: Db, script: string): Promise<void>;
  classifyError(error: unknown): DriverErrorKind | undefined;
}

/** Runs `fn`, turning whatever it throws into a typed, redacted `StateStoreError`. */
async function withTypedErrors<T>(action: string, dialect: MigrationDialect, secrets: readonly string[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw normalizeError(error, action, dialect.classifyError(error), secrets, undefined);
  }
}

async function ensureMigrationTable(connection: Db): Promise<void> {
  await connection.schema
    .createTable('nightcrier_migrations')
    .ifNotExists()
    .addColumn('version', 'integer', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('applied_at', 'text', (column) => column.notNull())
    .execute();
}

async function appliedVersions(connection: Db): Promise<Map<number, string>> {
  const rows = await connection.selectFrom('nightcrier_migrations').select(['version', 'name']).orderBy('version').execute();
  return new Map(rows.map((row) => [Number(row.version), row.name]));
}

function checkSteps(steps: number | undefined): void {
  if (steps !== undefined && (!Number.isSafeInteger(steps) || steps < 1)) {
    throw new ValidationError(`invalid steps: expected a positive integer, got ${String(steps)}`, { field: 'steps' });
  }
}

/** Applies pending migrations (up) or reverts applied ones (down), each at most once across processes. */
export async function runMigrationFiles(
  db: Db,
  dialect: MigrationDialect,
  files: readonly MigrationFile[],
  options: MigrationOptions = {},
  secrets: readonly string[] = [],
): Promise<MigrationResult> {
  const direction = options.direction ?? 'up';
  if (direction !== 'up' && direction !== 'down') {
    throw new ValidationError(`invalid direction: expected up or down, got ${String(direction)}`, { field: 'direction' });
  }
  checkSteps(options.steps);
  return withTypedErrors(`migrate ${direction}`, dialect, secrets, () => applyMigrations(db, dialect, files, direction, options.steps));
}

function applyMigrations(
  db: Db,
  dialect: MigrationDialect,
  files: readonly MigrationFile[],
  direction: 'up' | 'down',
  steps: number | undefined,
): Promise<MigrationResult> {
  return dialect.withMigrationLock(db, async (connection) => {
    await ensureMigrationTable(connection);
    const applied = await appliedVersions(connection);
    const done: string[] = [];
    if (direction === 'up') {
      const pending = files.filter((file) => !applied.has(file.version)).slice(0, steps ?? files.length);
      for (const file of pending) {
        await dialect.inMigrationTransaction(connection, async () => {
          await dialect.executeScript(connection, file.up);
          await connection
            .insertInto('nightcrier_migrations')
            .values({ version: file.version, name: file.name, applied_at: new Date().toISOString() })
            .execute();
        });
        done.push(file.name);
      }
    } else {
      const versions = [...applied.keys()].sort((a, b) => b - a).slice(0, steps ?? 1);
      for (const version of versions) {
        const file = files.find((candidate) => candidate.version === version);
        if (file === undefined) {
          throw new StorageError(`failed to revert migration ${applied.get(version)}: its .down.sql file is not in this package`);
        }
        await dialect.inMigrationTransaction(connection, async () => {
          await dialect.executeScript(connection, file.down);
          await connection.deleteFrom('nightcrier_migrations').where('version', '=', version).execute();
        });
        done.push(file.name);
      }
    }
    return { direction, migrations: done };
  });
}

/** Which migrations the database has and which of `files` it still lacks. */
export function readMigrationStatus(
  db: Db,
  dialect: MigrationDialect,
  files: readonly MigrationFile[],
  secrets: readonly string[] = [],
): Promise<MigrationStatus> {
  return withTypedErrors('read migration status', dialect, secrets, async () => {
    const tables = await db.introspection.getTables();
    const hasTable = tables.some((table) => table.name === 'nightcrier_migrations');
    const applied = hasTable ? await appliedVersions(db) : new Map<number, string>();
    return {
      applied: [...applied.values()],
      pending: files.filter((file) => !applied.has(file.version)).map((file) => file.name),
    };
  });
}
