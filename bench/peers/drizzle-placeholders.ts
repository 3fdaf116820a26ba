import { getTableColumns, type Placeholder, sql, type Table } from 'drizzle-orm';

/** A placeholder per column of `table`, named after the column: the values of a prepared insert. */
export function placeholdersOf<T extends Table>(table: T): Record<keyof T['_']['columns'] & string, Placeholder> {
  const columns = Object.keys(getTableColumns(table));
  // fromEntries loses the key type; the keys are exactly the table's columns.
  return Object.fromEntries(columns.map((column) => [column, sql.placeholder(column)])) as Record<keyof T['_']['columns'] & string, Placeholder>;
}
