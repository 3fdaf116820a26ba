import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs one statement as the server's admin. */
export async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(5).toString('hex')}`;
}

/** Creates a database cloned from `template` (cheap: a file copy) and returns its URL. */
export async function cloneDatabase(adminUrl: string, template: string, prefix = 'nc_test'): Promise<string> {
  const name = uniqueDatabaseName(prefix);
  await adminQuery(adminUrl, `create database "${name}" template "${template}" strategy file_copy`);
  return withDatabase(adminUrl, name);
}

export async function createEmptyDatabase(adminUrl: string, prefix = 'nc_test'): Promise<string> {
  const name = uniqueDatabaseName(prefix);
  await adminQuery(adminUrl, `create database "${name}"`);
  return withDatabase(adminUrl, name);
}

/** Drops the database of `url`, ending any session still on it. */
export async function dropDatabase(adminUrl: string, url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  await adminQuery(adminUrl, `drop database if exists "${name}" with (force)`);
}
