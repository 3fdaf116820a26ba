/** How far down an error's `cause` chain the driver's own error is looked for. */
const MAX_DEPTH = 4;

/** The database's own error code, if `error` is a server (or engine) error of a known driver. */
function driverCode(error: object): string | undefined {
  const { code, errno, sqlState, severity } = error as Record<string, unknown>;
  // mysql2: a server error carries its SQLSTATE beside the error number; the conventions want the number.
  if (typeof sqlState === 'string' && typeof errno === 'number') return String(errno);
  // pg: a server error carries a severity and its SQLSTATE as `code` (a Node socket error has no severity).
  if (typeof severity === 'string' && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  // better-sqlite3: the extended result code's name, e.g. SQLITE_CONSTRAINT_PRIMARYKEY.
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  return undefined;
}

/**
 * `db.response.status_code` of a failed call: the code the database answered with, read from the
 * driver error the typed error wraps (its `cause`) — PostgreSQL's SQLSTATE (`23505`), the MySQL or
 * MariaDB error number (`1062`), SQLite's extended result code (`SQLITE_CONSTRAINT_PRIMARYKEY`).
 * Undefined when the database did not answer with an error: a lost connection, a timeout, a
 * `NotFoundError` core raised itself, the caller's own error.
 */
export function responseStatusCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_DEPTH && typeof current === 'object' && current !== null; depth += 1) {
    const code = driverCode(current);
    if (code !== undefined) return code;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}
