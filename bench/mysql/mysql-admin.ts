import mysql from 'mysql2/promise';
import { checkBenchDatabaseName, databaseUrl } from '../harness/bench-database.js';
import { upMigrationSql } from '../harness/paths.js';

export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/mysql';

/** The admin URL: NIGHTCRIER_BENCH_MYSQL_URL, else the local MariaDB/MySQL root without a password. */
export function serverUrl(): string {
  return process.env['NIGHTCRIER_BENCH_MYSQL_URL'] ?? DEFAULT_MYSQL_URL;
}

async function withConnection<T>(url: string, work: (connection: mysql.Connection) => Promise<T>, multipleStatements = false): Promise<T> {
  const connection = await mysql.createConnection({ uri: url, multipleStatements });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

/** Drops (if present) and creates the database `name` (utf8mb4, as the store expects); returns its URL. */
export async function recreateDatabase(name: string): Promise<string> {
  checkBenchDatabaseName(name);
  await withConnection(serverUrl(), async (connection) => {
    await connection.query(`drop database if exists ${name}`);
    await connection.query(`create database ${name} character set utf8mb4 collate utf8mb4_bin`);
  });
  return databaseUrl(serverUrl(), name);
}

export async function dropDatabase(name: string): Promise<void> {
  checkBenchDatabaseName(name);
  await withConnection(serverUrl(), (connection) => connection.query(`drop database if exists ${name}`));
}

/**
 * Applies the repository's MySQL up migrations at `url`, the schema the store migrates itself to.
 * Each file holds several statements: one connection that takes them together, for this only.
 */
export async function migrateRaw(url: string): Promise<void> {
  await withConnection(url, async (connection) => {
    for (const sql of upMigrationSql('mysql')) await connection.query(sql);
  }, true);
}

export async function serverVersion(): Promise<string> {
  return withConnection(serverUrl(), async (connection) => {
    const [rows] = await connection.query<mysql.RowDataPacket[]>('select version() as v');
    return String(rows[0]?.['v'] ?? 'unknown');
  });
}

/** Connections the server accepted since it started (status `Connections`): counts new sessions of a run. */
export async function connectionsOpened(): Promise<number> {
  return withConnection(serverUrl(), async (connection) => {
    const [rows] = await connection.query<mysql.RowDataPacket[]>("show global status like 'Connections'");
    return Number(rows[0]?.['Value'] ?? 0);
  });
}
