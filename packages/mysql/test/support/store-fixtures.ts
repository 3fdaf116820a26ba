import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { inject } from 'vitest';

export const adminUrl = (): string => inject('mysqlAdminUrl');

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs one statement as the administrator. */
export async function adminQuery<R = Record<string, unknown>>(text: string, values: unknown[] = [], url = adminUrl()): Promise<R[]> {
  const connection = await mysql.createConnection({ uri: url, dateStrings: true });
  try {
    const [rows] = await connection.query(text, values);
    return rows as R[];
  } finally {
    await connection.end();
  }
}

/** An empty database of its own (unmigrated), and a way to drop it. */
export async function freshDatabase(prefix = 'nc_test'): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE \`${name}\``);
  return { name, url: withDatabase(adminUrl(), name), drop: async () => void (await adminQuery(`DROP DATABASE IF EXISTS \`${name}\``)) };
}

/** The server sessions on `database`, with what each does. */
export function sessionsOn(database: string): Promise<Array<{ id: number; command: string; state: string | null; info: string | null }>> {
  return adminQuery('SELECT ID AS id, COMMAND AS command, STATE AS state, INFO AS info FROM information_schema.PROCESSLIST WHERE DB = ?', [database]);
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000, stepMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return check();
}
