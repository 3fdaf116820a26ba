import type { DriverErrorKind } from '@nightcrier/storage-core/adapter';

// better-sqlite3's extended result codes, each with what it means to the store.
const KIND_BY_CODE: Readonly<Record<string, DriverErrorKind>> = {
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique_violation', // a duplicate id
  SQLITE_CONSTRAINT_UNIQUE: 'unique_violation',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key_violation', // an execution or report for an unknown incident
  SQLITE_CONSTRAINT_CHECK: 'check_violation', // a CHECK of the schema (empty id, unknown status)
  SQLITE_CONSTRAINT_NOTNULL: 'not_null_violation',
  SQLITE_BUSY: 'busy', // another connection holds the write lock: nothing ran, try again later
  SQLITE_BUSY_SNAPSHOT: 'busy', // a read snapshot went stale before a write (not with BEGIN IMMEDIATE)
  SQLITE_BUSY_TIMEOUT: 'busy',
  SQLITE_BUSY_RECOVERY: 'busy', // another connection is recovering the WAL
  SQLITE_LOCKED: 'busy',
  SQLITE_CANTOPEN: 'connection', // the file cannot be opened
  SQLITE_NOTADB: 'connection', // the file is not a SQLite database
  SQLITE_PERM: 'connection',
  SQLITE_READONLY: 'connection', // a read-only file or folder
};

/** What a better-sqlite3 error means to the store. */
export function sqliteErrorKind(error: unknown): DriverErrorKind | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  const kind = KIND_BY_CODE[code];
  if (kind !== undefined) return kind;
  // SQLite reports a missing table with the generic SQLITE_ERROR code; only the message tells.
  if (code === 'SQLITE_ERROR' && /^no such table: /.test((error as Error).message)) return 'undefined_table';
  return undefined;
}

export function isBusy(error: unknown): boolean {
  return sqliteErrorKind(error) === 'busy';
}
