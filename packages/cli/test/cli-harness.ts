import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../src/run-cli.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output; `env` replaces the process environment entirely. */
export async function cli(argv: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env,
  });
  return { code, stdout, stderr };
}

/** Non-empty output lines. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

const tempDirs: string[] = [];

/** A fresh temporary directory, removed by `removeTempDirs`. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nightcrier-cli-'));
  tempDirs.push(dir);
  return dir;
}

/** A `sqlite:///abs/path.db` URL of a database file that does not exist yet. */
export function tempDbUrl(name = 'state.db'): string {
  return `sqlite://${path.join(tempDir(), name)}`;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
