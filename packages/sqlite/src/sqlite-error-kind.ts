import { type DriverErrorKind, StatementAbortedError } from '@nightcrier/storage-core';

const KIND_BY_CODE: Readonly<Record<string, DriverErrorKind>> = {
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique_violation',
  SQLITE_CONSTRAINT_UNIQUE: 'unique_violation',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key_violation',
  SQLITE_CONSTRAINT_CHECK: 'check_violation',
  SQLITE_CONSTRAINT_NOTNULL: 'not_null_violation',
  SQLITE_BUSY: 'busy',
  SQLITE_BUSY_SNAPSHOT: 'busy',
  SQLITE_BUSY_TIMEOUT: 'busy',
  SQLITE_LOCKED: 'busy',
  SQLITE_CANTOPEN: 'connection',
  SQLITE_NOTADB: 'connection',
  SQLITE_PERM: 'connection',
  SQLITE_READONLY: 'connection',
};

/** What a better-sqlite3 error means to the store. */
export function sqliteErrorKind(error: unknown): DriverErrorKind | undefined {
  if (error instanceof StatementAbortedError) return 'cancelled';
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? KIND_BY_CODE[code] : undefined;
}
