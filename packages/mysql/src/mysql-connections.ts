import type { Socket } from 'node:net';
import mysql from 'mysql2';
import type { ConnectionFactory } from '@nightcrier/storage-core/adapter';
import { killSession } from './kill-on-server.js';
import type { ParsedMysqlUrl } from './parse-mysql-url.js';

/** One server session: its mysql2 connection and what the store tracks of it. */
export interface MysqlConnection {
  raw: mysql.Connection;
  /** The server's id of the session, for KILL QUERY and the process list. */
  threadId: number;
  /** The socket was closed or reset, or we already ended the server's session: nothing left to kill. */
  socketGone: boolean;
  /** KILL QUERY requests sent for this session that have not finished. */
  cancels: Set<Promise<void>>;
}

export interface MysqlConnectionSettings {
  connectTimeoutMs: number;
  keepAliveMs: number;
}

/** mysql2 options every session of the store gets, beside where to connect. */
export function sessionOptions(connection: ParsedMysqlUrl['connection'], settings: MysqlConnectionSettings): mysql.ConnectionOptions {
  return {
    ...connection,
    connectTimeout: settings.connectTimeoutMs,
    enableKeepAlive: settings.keepAliveMs > 0,
    keepAliveInitialDelay: settings.keepAliveMs,
    charset: 'utf8mb4',
    // Dates travel as text in both directions: mysql2's own Date parsing gets years below 100 wrong.
    dateStrings: true,
    // UPDATE reports the rows it matched, not those it changed: a status set twice is not "not found".
    flags: ['FOUND_ROWS'],
    // mysql2 caches 16 000 per connection by default; the server allows 16 382 in all.
    maxPreparedStatements: 256,
    multipleStatements: false,
  };
}

export function destroyConnection(raw: mysql.Connection): void {
  // mysql2's destroy() only half-closes the socket, and a waiting statement would still get its
  // answer: destroy the socket itself, which rejects whatever waits on the connection.
  (raw as mysql.Connection & { stream?: Socket }).stream?.destroy();
}

/**
 * Drops a connection the store gave up on. When its socket still looks open (a silent network, an
 * abandoned call), the server's session may live on with a statement or a transaction and its
 * locks: end it there too, from another connection.
 */
export function abandonConnection(options: mysql.ConnectionOptions, connection: MysqlConnection): void {
  if (!connection.socketGone) {
    connection.socketGone = true;
    void killSession(options, connection.threadId);
  }
  destroyConnection(connection.raw);
}

export function run<T>(raw: mysql.Connection, sql: string, values?: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    raw.query(sql, values, (error, result) => (error === null ? resolve(result as T) : reject(error)));
  });
}

/** Opens, ends and destroys the mysql2 connections of one store's pool. */
export function mysqlConnectionFactory(options: mysql.ConnectionOptions): ConnectionFactory<MysqlConnection> {
  return {
    async open(onDeath, signal) {
      const raw = mysql.createConnection(options);
      // Without a listener, a connection the server or the network kills would crash the process.
      let connection: MysqlConnection | undefined;
      const died = () => {
        if (connection !== undefined) connection.socketGone = true;
        onDeath();
      };
      raw.on('error', died);
      raw.on('end', died);
      const onAbort = () => destroyConnection(raw);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await new Promise<void>((resolve, reject) => raw.connect((error) => (error === null ? resolve() : reject(error))));
        // Instants are written and read in UTC; nothing reads the server's clock.
        await run(raw, "SET time_zone = '+00:00'");
        connection = { raw, threadId: raw.threadId, socketGone: false, cancels: new Set() };
        return connection;
      } catch (error) {
        destroyConnection(raw);
        throw signal?.aborted === true ? signal.reason : error;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
    async close({ raw }) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => raw.end(() => resolve())),
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            destroyConnection(raw);
            resolve();
          }, 1000);
        }),
      ]);
      clearTimeout(timer);
    },
    destroy: (connection) => abandonConnection(options, connection),
  };
}
