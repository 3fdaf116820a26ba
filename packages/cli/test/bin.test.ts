import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lines, removeTempDirs, tempDbUrl, tempDir } from './cli-harness.js';

// Built by the root `pnpm test` (pnpm build && vitest run) before the tests run.
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

afterAll(removeTempDirs);

function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  if (options.env?.NIGHTCRIER_STORAGE_URL === undefined) delete env.NIGHTCRIER_STORAGE_URL;
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd, env, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the built nightcrier-storage bin', () => {
  it('is an executable node script', () => {
    const source = fs.readFileSync(BIN, 'utf8');
    expect(source.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(source.indexOf('#!/usr/bin/env node', 1)).toBe(-1);
    expect(fs.statSync(BIN).mode & 0o111).not.toBe(0);
  });

  it('exits 0 for --help, 2 for bad usage, 1 for an error', () => {
    const help = run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: nightcrier-storage');

    const url = tempDbUrl();
    const usage = run(['--url', url, 'incidents', 'list', '--limit', 'lots']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^error: invalid --limit "lots"/);

    expect(run(['--url', url, 'migrate', 'up']).code).toBe(0);
    const missing = run(['--url', url, 'incidents', 'show', 'inc-nope']);
    expect(missing.code).toBe(1);
    expect(lines(missing.stderr)).toHaveLength(1);
    expect(missing.stderr).toMatch(/^error: .*inc-nope.*not found$/m);
    expect(missing.stderr).not.toMatch(/^\s+at /m);
  });

  it('--version prints the version of the installed package', () => {
    const manifest = JSON.parse(fs.readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'));
    for (const flag of ['--version', '-v']) {
      const result = run([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`nightcrier-storage ${manifest.version}\n`);
    }
  });

  it('draws no progress bar when stderr is a pipe', () => {
    const demo = run(['--url', tempDbUrl(), 'demo', '--incidents', '30']);
    expect(demo.code).toBe(0);
    expect(demo.stderr).toBe('');
    expect(demo.stdout).not.toMatch(/\u001b/);
  });

  it('runs the demo and lists it back, with the default URL in the working directory', () => {
    const cwd = tempDir();
    const demo = run(['demo'], { cwd });
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('sqlite:./nightcrier.db');
    expect(fs.existsSync(path.join(cwd, 'nightcrier.db'))).toBe(true);

    const list = run(['incidents', 'list', '--json'], { cwd });
    expect(list.code).toBe(0);
    expect(lines(list.stdout)).toHaveLength(3);

    const health = run(['health'], { cwd });
    expect(health.code).toBe(0);
    expect(lines(health.stdout)[0]).toBe('ok');
  });

  it('honours $NIGHTCRIER_STORAGE_URL', () => {
    const url = tempDbUrl('from-env.db');
    expect(run(['demo', '--incidents', '2'], { env: { NIGHTCRIER_STORAGE_URL: url } }).code).toBe(0);
    const list = run(['incidents', 'list', '--status', 'resolved', '--json'], { env: { NIGHTCRIER_STORAGE_URL: url } });
    expect(list.code).toBe(0);
    expect(lines(list.stdout)).toHaveLength(2);
  });
});
