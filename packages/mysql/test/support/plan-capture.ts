// Records the statements a MySQL store sends, with the values it binds, for the query-plan test.
// MysqlSession runs a statement with parameters through mysql2's `Connection#execute` (a server-side
// prepared statement) and one without (e.g. an unfiltered, unlimited list) through `Connection#query`:
// spying on both captures exactly what reached the server, so no statement in the test is written
// by hand and none can drift from the store's.
import mysql from 'mysql2';
import { vi } from 'vitest';

/** A value as MysqlSession binds it (its `toParameter` allows only these). */
export type BoundValue = string | number | bigint | boolean | null;

export interface CapturedStatement {
  sql: string;
  values: BoundValue[];
}

function isBoundValue(value: unknown): value is BoundValue {
  return value === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof value);
}

/** `(sql, values?, callback)` as MysqlSession passes them; anything else means the session changed. */
function statementOf(method: string, call: unknown[]): CapturedStatement {
  const [sql, values = []] = call;
  if (typeof sql !== 'string' || !Array.isArray(values) || !values.every(isBoundValue)) {
    throw new Error(`the store called ${method}() in a form this capture does not know`);
  }
  return { sql, values: [...values] };
}

/**
 * Runs `work` while recording, in order, every statement any mysql2 connection of this process
 * sends through `execute` or `query`. Nothing else may use mysql2 meanwhile.
 */
export async function captureStoreStatements(work: () => Promise<void>): Promise<CapturedStatement[]> {
  const recorded: Array<{ order: number; statement: CapturedStatement }> = [];
  const executeSpy = vi.spyOn(mysql.Connection.prototype, 'execute');
  const querySpy = vi.spyOn(mysql.Connection.prototype, 'query');
  try {
    await work();
    executeSpy.mock.calls.forEach((call, i) => recorded.push({ order: executeSpy.mock.invocationCallOrder[i] ?? 0, statement: statementOf('execute', call) }));
    querySpy.mock.calls.forEach((call, i) => recorded.push({ order: querySpy.mock.invocationCallOrder[i] ?? 0, statement: statementOf('query', call) }));
    return recorded.sort((a, b) => a.order - b.order).map((entry) => entry.statement);
  } finally {
    executeSpy.mockRestore();
    querySpy.mockRestore();
  }
}
