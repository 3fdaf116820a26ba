import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import BetterSqlite3 from 'better-sqlite3';
import { serverVersion as mysqlServerVersion } from '../mysql/mysql-admin.js';
import { serverVersion } from '../postgres/postgres-admin.js';
import { REPO_ROOT } from './paths.js';

export interface MachineInfo {
  date: string;
  node: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  sqliteVersion: string;
  postgresVersion: string;
  /** Absent in results saved before the MySQL engines existed. */
  mysqlVersion?: string;
  drivers: Record<string, string>;
  /** The commit measured, and the files changed on top of it (the store is built from the work tree). */
  source: { commit: string; changedFiles: string[] };
  /** 1, 5, 15-minute load averages when the run started. */
  loadAtStart: number[];
  loadAtEnd?: number[];
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1] !== undefined) return match[1].trim();
  } catch {
    // not Linux: fall through
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function sourceRevision(): MachineInfo['source'] {
  const git = (args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  try {
    const changed = git(['status', '--porcelain', '--', 'packages', 'migrations'])
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    return { commit: git(['rev-parse', '--short', 'HEAD']), changedFiles: changed };
  } catch {
    return { commit: 'unknown', changedFiles: [] };
  }
}

export function loadAverage(): number[] {
  return os.loadavg().map((value) => Math.round(value * 100) / 100);
}

/** Which servers the run talks to: their versions are asked for, the others reported as not used. */
export interface ServersUsed {
  postgres: boolean;
  mysql: boolean;
}

const versionOf = async (used: boolean, ask: () => Promise<string>) => (used ? ask().catch((error: Error) => `unreachable (${error.message})`) : 'not used');

export async function machineInfo(servers: ServersUsed): Promise<MachineInfo> {
  const memory = new BetterSqlite3(':memory:');
  const sqliteVersion = (memory.prepare('select sqlite_version() as v').get() as { v: string }).v;
  memory.close();
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpuModel: cpuModel(),
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    sqliteVersion,
    postgresVersion: await versionOf(servers.postgres, serverVersion),
    mysqlVersion: await versionOf(servers.mysql, mysqlServerVersion),
    drivers: {
      'better-sqlite3': packageVersion('better-sqlite3'),
      pg: packageVersion('pg'),
      mysql2: packageVersion('mysql2'),
      kysely: packageVersion('kysely'),
    },
    source: sourceRevision(),
    loadAtStart: loadAverage(),
  };
}

export function describeMachine(info: MachineInfo): string {
  return [
    `node ${info.node}; ${info.cpuModel}; ${info.cores} cores; ${info.memoryGiB} GiB; ${info.kernel}`,
    `SQLite ${info.sqliteVersion} (better-sqlite3 ${info.drivers['better-sqlite3']}); PostgreSQL ${info.postgresVersion} (pg ${info.drivers['pg']})` +
      `${info.mysqlVersion === undefined ? '' : `; MySQL ${info.mysqlVersion} (mysql2 ${info.drivers['mysql2']})`}; kysely ${info.drivers['kysely']}`,
    `store built from ${info.source.commit}${info.source.changedFiles.length === 0 ? '' : ` + ${info.source.changedFiles.length} changed file(s) under packages/ and migrations/`}`,
    `load average at start ${info.loadAtStart.join(' / ')}${info.loadAtEnd === undefined ? '' : `, at end ${info.loadAtEnd.join(' / ')}`} (1 / 5 / 15 min)`,
  ].join('\n');
}
