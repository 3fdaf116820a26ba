import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Worker scripts every adapter's tests use (e.g. a migrator that goes through `runMigrations`). */
export const SHARED_WORKERS = fileURLToPath(new URL('./workers/', import.meta.url));

/** Runs `node <script> args…` (a path) to completion and returns its stdout lines. */
export function runNode(script: string, args: string[]): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines: stdout.split('\n').filter(Boolean), stderr }));
  });
}
