/**
 * What an engine's SQL can do, where the engines differ. Core writes each operation once and picks
 * the form from these; an adapter declares only what differs from the defaults.
 */
export interface AdapterCapabilities {
  /**
   * How an insert that keeps an existing row is written (createIncident's fault event):
   * `on-conflict-do-nothing` (PostgreSQL, SQLite; default) or `on-duplicate-key-noop` (MySQL:
   * `ON DUPLICATE KEY UPDATE id = id`, which, unlike `INSERT IGNORE`, still fails on every other error).
   */
  insertIfAbsent: 'on-conflict-do-nothing' | 'on-duplicate-key-noop';
  /**
   * How the execution upsert is written: `on-conflict-do-update` (PostgreSQL, SQLite; default) or
   * `on-duplicate-key-update` (MySQL).
   */
  upsert: 'on-conflict-do-update' | 'on-duplicate-key-update';
  /**
   * What keeps each `executionId` and `reportId` unique: `primary-key` (the id is the key of its
   * table; default) or `owner-table` (a distributed engine such as Citus, where a key must contain
   * the distribution column: executions and reports are keyed by `(incident_id, id)` on their
   * incident's shard, and `agent_execution_owners` / `triage_report_owners`, distributed by the id,
   * hold each id once with the incident that owns it; every write inserts into both in one
   * statement). See `OwnerTables`.
   */
  idUniqueness: 'primary-key' | 'owner-table';
  /** `INSERT` may stand inside `WITH` (PostgreSQL): createIncident is then one atomic statement. Default false. */
  insertInsideWith: boolean;
  /**
   * How the status filter matches its list: `in-list` (`status in (?, ?)`, default) or `any-array`
   * (`status = any($1)`, one statement shape for every list length, PostgreSQL).
   */
  statusMatch: 'in-list' | 'any-array';
  /**
   * How the keyset condition after a cursor is written: `row-value` (`(created_at, incident_id) < (?, ?)`,
   * default) or `expanded` (`created_at < ? or (created_at = ? and incident_id < ?)`), whichever the
   * engine's planner turns into an index range.
   */
  keysetComparison: 'row-value' | 'expanded';
  /**
   * Write the status, namespace, fault type and severity filters so that they cannot use their
   * single-column indexes (SQLite's `+column` idiom): SQLite's planner would otherwise pick such an
   * index and sort every match instead of walking the order index and stopping after one page.
   * Default false.
   */
  walkOrderIndex: boolean;
  /**
   * DDL runs inside transactions (PostgreSQL, SQLite; default true). Without it (MySQL) a migration
   * that fails part way leaves a dirty state that later runs refuse until it is repaired.
   */
  transactionalDdl: boolean;
  /** The statement that begins a write transaction; default `begin` (SQLite: `begin immediate`). */
  beginTransaction: string;
  /**
   * The driver runs statements synchronously on the calling thread (better-sqlite3): core then
   * yields to the event loop every few milliseconds, so timers, I/O and signals keep running.
   * Default false.
   */
  synchronous: boolean;
}

/** The capabilities of an adapter that declares none: standard SQL as PostgreSQL and SQLite write it. */
export const DEFAULT_CAPABILITIES: Readonly<AdapterCapabilities> = Object.freeze({
  insertIfAbsent: 'on-conflict-do-nothing',
  upsert: 'on-conflict-do-update',
  idUniqueness: 'primary-key',
  insertInsideWith: false,
  statusMatch: 'in-list',
  keysetComparison: 'row-value',
  walkOrderIndex: false,
  transactionalDdl: true,
  beginTransaction: 'begin',
  synchronous: false,
});
