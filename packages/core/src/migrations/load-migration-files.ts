import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { StorageError } from '../errors/state-store-error.js';
import type { MigrationFile } from './migration-types.js';

const FILE_NAME = /^(\d{6})_([a-z0-9_]+)\.(up|down)\.sql$/;

/** Reads `NNNNNN_name.up.sql` / `.down.sql` pairs from `folder`, sorted by version. */
export async function loadMigrationFiles(folder: string | URL): Promise<MigrationFile[]> {
  const path = folder instanceof URL ? fileURLToPath(folder) : folder;
  let entries: string[];
  try {
    entries = await readdir(path);
  } catch (cause) {
    throw new StorageError(`failed to read migrations: folder ${path} is missing`, { cause });
  }
  const byVersion = new Map<number, { name: string; up?: string; down?: string }>();
  for (const entry of entries.sort()) {
    const match = FILE_NAME.exec(entry);
    if (match === null) continue;
    const [, digits, label, direction] = match as unknown as [string, string, string, 'up' | 'down'];
    const version = Number(digits);
    const name = `${digits}_${label}`;
    const file = byVersion.get(version) ?? { name };
    if (file.name !== name) throw new StorageError(`failed to read migrations: two migrations numbered ${digits}`);
    file[direction] = await readFile(`${path}/${entry}`, 'utf8');
    byVersion.set(version, file);
  }
  return [...byVersion.entries()]
    .sort(([a], [b]) => a - b)
    .map(([version, file]) => {
      if (file.up === undefined || file.down === undefined) {
        throw new StorageError(`failed to read migrations: ${file.name} needs both an .up.sql and a .down.sql file`);
      }
      return { version, name: file.name, up: file.up, down: file.down };
    });
}

/** A loader for `folder`'s migrations that reads them once and remembers them (a failure is retried). */
export function migrationFilesIn(folder: URL): () => Promise<MigrationFile[]> {
  let files: Promise<MigrationFile[]> | undefined;
  return () => {
    files ??= loadMigrationFiles(folder).catch((error: unknown) => {
      files = undefined;
      throw error;
    });
    return files;
  };
}
