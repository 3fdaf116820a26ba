import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Absolute paths of the programs the TLS tests drive, and what could not be found. */
export interface ExternalTools {
  initdb: string;
  pgCtl: string;
  psql: string;
  openssl: string;
  /** Run server programs through this (runuser as root, since PostgreSQL refuses to run as root). */
  asDatabaseUser: (program: string, args: string[]) => [string, string[]];
  missing: string[];
}

/** The environment without any PG* variable, so libpq and pg_ctl see only what a test passes. */
export function environmentWithoutPg(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('PG')) env[name] = value;
  }
  return { ...env, ...extra };
}

/**
 * Looks for initdb and pg_ctl in the newest /usr/lib/postgresql/<version>/bin (Debian keeps them off
 * PATH), else on PATH; psql and openssl on PATH.
 */
export function locateExternalTools(): ExternalTools {
  const missing: string[] = [];
  const serverBin = newestServerBinDirectory();
  const find = (name: string, directory?: string): string => {
    const candidate = directory === undefined ? undefined : join(directory, name);
    if (candidate !== undefined && existsSync(candidate)) return candidate;
    const onPath = which(name);
    if (onPath === undefined) missing.push(name);
    return onPath ?? name;
  };
  const tools = {
    initdb: find('initdb', serverBin),
    pgCtl: find('pg_ctl', serverBin),
    psql: find('psql'),
    openssl: find('openssl'),
  };
  const isRoot = process.getuid?.() === 0;
  if (isRoot && which('runuser') === undefined) missing.push('runuser');
  if (isRoot && !userExists('postgres')) missing.push('a postgres OS user');
  const asDatabaseUser = (program: string, args: string[]): [string, string[]] =>
    isRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  return { ...tools, asDatabaseUser, missing };
}

function newestServerBinDirectory(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => join(root, version, 'bin')).find((directory) => existsSync(join(directory, 'initdb')));
}

function which(name: string): string | undefined {
  try {
    const found = execFileSync('sh', ['-c', 'command -v "$1"', 'sh', name], { encoding: 'utf8' }).trim();
    return found === '' ? undefined : found;
  } catch {
    return undefined;
  }
}

function userExists(name: string): boolean {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
