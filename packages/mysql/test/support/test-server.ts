import mysql from 'mysql2/promise';
import { startTempMariadb } from './temp-mariadb-server.js';

/** A MySQL / MariaDB server the tests may create and drop databases on. */
export interface TestServer {
  /** An administrator URL (any database); tests create their own databases. */
  adminUrl: string;
  source: 'NIGHTCRIER_TEST_MYSQL_URL' | 'a throwaway MariaDB';
  stop(): Promise<void>;
}

async function reachable(url: string): Promise<string | undefined> {
  try {
    const connection = await mysql.createConnection({ uri: url, connectTimeout: 5000 });
    await connection.query('SELECT 1');
    await connection.end();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The server for the MySQL tests: `NIGHTCRIER_TEST_MYSQL_URL` when set (one that does not answer is
 * an error, never a skip), otherwise a throwaway MariaDB from the machine's own binaries.
 * `NIGHTCRIER_TEST_MYSQL=throwaway` forces the latter.
 */
export async function startTestServer(): Promise<TestServer> {
  const url = process.env['NIGHTCRIER_TEST_MYSQL_URL'];
  if (process.env['NIGHTCRIER_TEST_MYSQL'] !== 'throwaway' && url !== undefined && url !== '') {
    const problem = await reachable(url);
    if (problem !== undefined) throw new Error(`NIGHTCRIER_TEST_MYSQL_URL does not answer: ${problem}`);
    return { adminUrl: url, source: 'NIGHTCRIER_TEST_MYSQL_URL', stop: async () => undefined };
  }
  const server = await startTempMariadb();
  return { adminUrl: server.url('mysql'), source: 'a throwaway MariaDB', stop: () => server.stop() };
}
