import { describe, expect, it } from 'vitest';
import { sqliteErrorKind } from '../src/sqlite-error-kind.js';

describe('SQLite error codes map to one kind each', () => {
  it.each([
    ['SQLITE_CONSTRAINT_PRIMARYKEY', 'unique_violation'],
    ['SQLITE_CONSTRAINT_UNIQUE', 'unique_violation'],
    ['SQLITE_CONSTRAINT_FOREIGNKEY', 'foreign_key_violation'],
    ['SQLITE_CONSTRAINT_CHECK', 'check_violation'],
    ['SQLITE_CONSTRAINT_NOTNULL', 'not_null_violation'],
    ['SQLITE_BUSY', 'busy'],
    ['SQLITE_BUSY_SNAPSHOT', 'busy'],
    ['SQLITE_CANTOPEN', 'connection'],
    ['SQLITE_NOTADB', 'connection'],
    ['SQLITE_BUSY_RECOVERY', 'busy'],
    ['SQLITE_READONLY', 'connection'],
  ])('%s → %s', (code, kind) => {
    expect(sqliteErrorKind(Object.assign(new Error('x'), { code }))).toBe(kind);
  });

  it('a missing table is told by its message; unknown errors are unclassified', () => {
    expect(sqliteErrorKind(Object.assign(new Error('no such table: incidents'), { code: 'SQLITE_ERROR' }))).toBe('undefined_table');
    expect(sqliteErrorKind(Object.assign(new Error('near "x": syntax error'), { code: 'SQLITE_ERROR' }))).toBeUndefined();
    expect(sqliteErrorKind(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }))).toBeUndefined();
  });
});
