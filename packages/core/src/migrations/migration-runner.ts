import { CompiledQuery, type Kysely } from 'kysely';
import type { AdapterCapabilities } from '../adapter/adapter-capabilities.js';
import type { Session, SessionPool } from '../adapter/adapter-connection.js';
import type { DriverErrorKind } from '../adapter/driver-error-kind.js';
import type { MigrationHooks } from '../adapter/migration-hooks.js';
import { whileBusy } from '../adapter/while-busy.js';
import { StorageError, ValidationError } from '../errors/state-store-error.js';
import type { StorageSchema } from '../query/storage-schema.js';
import { normalizeError } from '../store/normalize-error.js';
import { previewValue } from '../validation/preview-value.js';
import { type AppliedMigration, MigrationTable } from './migration-table.js';
import type { MigrationFile, MigrationOptions, MigrationResult, MigrationStatus } from './migration-types.js';

/** Everything the migration runner needs of one database. */
export interface MigrationContext {
  pool: SessionPool;
  compiler: Kysely<StorageSchema>;
  capabilities: AdapterCapabilities;
  hooks: MigrationHooks;
  classify(error: unknown): DriverErrorKind | undefined;
  secrets: readonly string[];
  lockWaitMs: number;
  /** The schema layout the migrations belong to (see `SchemaLayout`); absent for the adapter's own. */
  layout?: string;
}

const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');

/** Where the database stands against `files`. */
function statusOf(applied: readonly AppliedMigration[], files: readonly MigrationFile[]): MigrationStatus {
  const known = new Set(files.map((file) => file.version));
  const done = new Set(applied.map((migration) => migration.version));
  const dirty = applied.find((migration) => migration.dirty)?.version;
  return {
    applied: applied.map((migration) => migration.name),
    pending: files.filter((file) => !done.has(file.version)).map((file) => file.name),
    unknown: applied.filter((migration) => !known.has(migration.version)).map((migration) => migration.name),
    ...(dirty === undefined ? {} : { dirty }),
  };
}

/** The StorageError for a database migrated by a newer version, if it is one. */
function newerSchemaError(status: MigrationStatus, files: readonly MigrationFile[]): StorageError | undefined {
  if (status.unknown.length === 0) return undefined;
  const latest = files[files.length - 1]?.name ?? 'none';
  return new StorageError(
    `database schema ${status.unknown.join(', ')} is newer than this version knows: ${latest}; upgrade the SDK (or open with allowNewerSchema for read-only use)`,
  );
}

/**
 * The StorageError for a database whose applied migrations are not these files, version for
 * version: it was migrated with another schema layout (single-node PostgreSQL where the database
 * now has Citus), and migrating it further would mix the two.
 */
function otherLayoutError(applied: readonly AppliedMigration[], files: readonly MigrationFile[], layout: string | undefined): StorageError | undefined {
  for (const migration of applied) {
    const file = files.find((candidate) => candidate.version === migration.version);
    if (file === undefined || file.name === migration.name) continue;
    const expected = layout === undefined ? `this store's ${file.name}` : `the ${layout} layout's ${file.name}`;
    return new StorageError(
      `database schema has ${migration.name} where it needs ${expected}: it was migrated with another schema layout, which is never converted in place`,
    );
  }
  return undefined;
}

function dirtyError(status: MigrationStatus): StorageError | undefined {
  if (status.dirty === undefined) return undefined;
  const version = String(status.dirty).padStart(6, '0');
  return new StorageError(
    `migration ${version} failed part way and left the schema dirty; repair the schema by hand, then delete its row from ` +
      `nightcrier_migrations (to run it again) or set its dirty column to false (to keep it), and migrate again`,
  );
}

interface CheckedOptions {
  direction: 'up' | 'down';
  steps: number | undefined;
  onMigration: (name: string) => void;
}

function checkOptions(options: MigrationOptions): CheckedOptions {
  const direction = options.direction ?? 'up';
  if (direction !== 'up' && direction !== 'down') {
    throw new ValidationError(`invalid direction: expected up or down, got ${previewValue(direction)}`, { field: 'direction' });
  }
  const { steps } = options;
  if (steps !== undefined && (typeof steps !== 'number' || !Number.isSafeInteger(steps) || steps < 1)) {
    throw new ValidationError(`invalid steps: expected a positive integer, got ${previewValue(steps)}`, { field: 'steps' });
  }
  const { onMigration = () => undefined } = options;
  if (typeof onMigration !== 'function') {
    throw new ValidationError(`invalid onMigration: expected a function, got ${previewValue(onMigration)}`, { field: 'onMigration' });
  }
  // Like onQuery, a throwing observer is ignored: the migration it reports is already committed.
  const report = (name: string): void => {
    try {
      onMigration(name);
    } catch {
      // nothing to undo
    }
  };
  return { direction, steps, onMigration: report };
}

/**
 * Runs migrations on one database, safely from several processes at once: each migration is
 * applied exactly once. With transactional DDL every migration runs in its own transaction that
 * first takes the adapter's lock and reads what is applied; without it (MySQL) the lock is held
 * for the whole run and a migration that fails part way leaves a dirty row that later runs refuse.
 */
export class MigrationRunner {
  private readonly table: MigrationTable;

  constructor(private readonly context: MigrationContext) {
    this.table = new MigrationTable(context.compiler, !context.capabilities.transactionalDdl);
  }

  async migrate(options: MigrationOptions = {}): Promise<MigrationResult> {
    const checked = checkOptions(options);
    return this.typed(`migrate ${checked.direction}`, () =>
      this.context.capabilities.transactionalDdl ? this.migrateInTransactions(checked) : this.migrateHoldingLock(checked),
    );
  }

  /** Applied, pending, unknown and dirty migrations; changes nothing (a database never migrated has none applied). */
  status(): Promise<MigrationStatus> {
    return this.typed('read migration status', () => this.withSession((session) => this.readStatus(session)));
  }

  /** Refuses a database a newer version migrated (unless allowed), at open; returns its status. */
  async checkSchema(allowNewer: boolean): Promise<MigrationStatus> {
    const applied = await this.typed('read migration status', () => this.withSession((session) => this.readApplied(session)));
    const status = statusOf(applied, this.files());
    const problem = otherLayoutError(applied, this.files(), this.context.layout) ?? (allowNewer ? undefined : newerSchemaError(status, this.files()));
    if (problem !== undefined) throw problem;
    return status;
  }

  private files(): readonly MigrationFile[] {
    return this.context.hooks.files();
  }

  private async readStatus(session: Session): Promise<MigrationStatus> {
    return statusOf(await this.readApplied(session), this.files());
  }

  /** The migrations table's rows; none when the table does not exist yet. */
  private async readApplied(session: Session): Promise<AppliedMigration[]> {
    try {
      return await this.table.read(session);
    } catch (error) {
      if (this.context.classify(error) !== 'undefined_table') throw error;
      return [];
    }
  }

  /** What is applied, refusing a database migrated with another layout before anything is changed. */
  private async readStatusToMigrate(session: Session): Promise<MigrationStatus> {
    const applied = await this.readApplied(session);
    const problem = otherLayoutError(applied, this.files(), this.context.layout);
    if (problem !== undefined) throw problem;
    return statusOf(applied, this.files());
  }

  private async migrateInTransactions({ direction, steps, onMigration }: CheckedOptions): Promise<MigrationResult> {
    const done: string[] = [];
    const limit = steps ?? (direction === 'up' ? Infinity : 1);
    while (done.length < limit) {
      const step = await whileBusy(
        () => this.withSession((session) => this.oneInTransaction(session, direction)),
        (error) => this.context.classify(error) === 'busy',
        this.context.lockWaitMs,
      );
      if (step === undefined) break;
      done.push(step);
      onMigration(step);
    }
    return { direction, migrations: done };
  }

  /** One migration in one transaction; undefined when there is nothing left to do. */
  private async oneInTransaction(session: Session, direction: 'up' | 'down'): Promise<string | undefined> {
    await session.execute(CompiledQuery.raw(this.context.capabilities.beginTransaction));
    try {
      await this.context.hooks.lock?.(session);
      await this.table.ensure(session);
      const status = await this.readStatusToMigrate(session);
      const file = this.nextFile(status, direction);
      if (file !== undefined) {
        await this.runScript(session, direction === 'up' ? file.up : file.down);
        await session.execute(direction === 'up' ? this.table.record(file.version, file.name, false) : this.table.remove(file.version));
      }
      await session.execute(COMMIT);
      return file?.name;
    } catch (error) {
      await Promise.resolve(session.execute(ROLLBACK)).catch(() => undefined);
      throw error;
    }
  }

  private async migrateHoldingLock({ direction, steps, onMigration }: CheckedOptions): Promise<MigrationResult> {
    return this.withSession(async (session) => {
      const release = await this.context.hooks.lock?.(session);
      try {
        await this.table.ensure(session);
        const done: string[] = [];
        const limit = steps ?? (direction === 'up' ? Infinity : 1);
        while (done.length < limit) {
          const status = await this.readStatusToMigrate(session);
          const problem = dirtyError(status);
          if (problem !== undefined) throw problem;
          const file = this.nextFile(status, direction);
          if (file === undefined) break;
          // Marked dirty before the script runs: if it fails part way, the row says so.
          await session.execute(direction === 'up' ? this.table.record(file.version, file.name, true) : this.table.markDirty(file.version));
          await this.runScript(session, direction === 'up' ? file.up : file.down);
          await session.execute(direction === 'up' ? this.table.markClean(file.version) : this.table.remove(file.version));
          done.push(file.name);
          onMigration(file.name);
        }
        return { direction, migrations: done };
      } finally {
        await release?.();
      }
    });
  }

  /** The next file to apply (up) or revert (down), after the newer-schema check. */
  private nextFile(status: MigrationStatus, direction: 'up' | 'down'): MigrationFile | undefined {
    const files = this.files();
    if (direction === 'up') {
      const problem = newerSchemaError(status, files);
      if (problem !== undefined) throw problem;
      return files.find((file) => file.name === status.pending[0]);
    }
    const latest = status.applied[status.applied.length - 1];
    if (latest === undefined) return undefined;
    const file = files.find((candidate) => candidate.name === latest);
    if (file === undefined) throw new StorageError(`failed to revert migration ${latest}: this version does not know it`);
    return file;
  }

  private async runScript(session: Session, script: string): Promise<void> {
    const { runScript } = this.context.hooks;
    await (runScript === undefined ? session.executeScript(script) : runScript(session, script));
  }

  private async withSession<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const session = await this.context.pool.acquire();
    let reusable = true;
    try {
      return await work(session);
    } catch (error) {
      reusable = false;
      throw error;
    } finally {
      session.release(reusable);
    }
  }

  private async typed<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw normalizeError(error, action, this.context.classify(error), { secrets: this.context.secrets });
    }
  }
}
