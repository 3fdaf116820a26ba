import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/index.js';
import { cli, lines, removeTempDirs, tempDbUrl, tempDir, type CliResult } from './cli-harness.js';
import { runCli } from '../src/run-cli.js';

afterAll(removeTempDirs);

/** Runs the CLI with a stderr that says it is a terminal, as a shell would give it. */
async function cliOnTerminal(argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: true, columns: 100 },
    env: {},
  });
  return { code, stdout, stderr };
}

function fileOf(url: string): string {
  return url.replace(/^sqlite:\/\//, '');
}

describe('--version and --help', () => {
  it('--version and -v print the package version, before or after a command', async () => {
    const version = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version as string;
    for (const argv of [['--version'], ['-v'], ['incidents', 'list', '--version']]) {
      const result = await cli(argv);
      expect(result).toEqual({ code: 0, stdout: `nightcrier-storage ${version}\n`, stderr: '' });
    }
  });

  it.each(COMMANDS.map((command) => [command.name]))('%s --help and -h print its usage and exit 0', async (name) => {
    for (const flag of ['--help', '-h']) {
      const result = await cli([...name.split(' '), flag]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(`usage: nightcrier-storage [--url URL] ${name}`);
      expect(result.stdout).toContain('-v, --version');
    }
  });
});

describe('a mistyped command or option suggests the closest', () => {
  it.each([
    [['migarte', 'up'], /unknown command "migarte"; did you mean "migrate"\?/],
    [['helth'], /unknown command "helth"; did you mean "health"\?/],
    [['incidents', 'lsit'], /unknown incidents subcommand "lsit": expected list, show; did you mean "list"\?/],
    [['migrate', 'stauts'], /did you mean "status"\?/],
    [['incidents', 'list', '--limt', '5'], /unknown option --limt; did you mean "--limit"\?/],
    [['incidents', 'list', '--cluser', 'x'], /did you mean "--cluster"\?/],
    [["demo", "--incident", "5"], /unknown option --incident; did you mean "--incidents"\?/],
  ])('%j', async (argv, message) => {
    const result = await cli(['--url', tempDbUrl(), ...argv]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('an unrelated word suggests nothing', async () => {
    const result = await cli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "frobnicate"\n/);
    expect(result.stderr).not.toContain('did you mean');
  });
});

describe('progress on a terminal only', () => {
  it('demo draws a bar on a terminal stderr, and nothing on a pipe or under --json', async () => {
    const onTerminal = await cliOnTerminal(['--url', tempDbUrl(), 'demo', '--incidents', '40']);
    expect(onTerminal.code).toBe(0);
    expect(onTerminal.stderr).toMatch(/demo \[[^\]]+\] 40\/40/);
    expect(onTerminal.stdout).not.toMatch(/\u001b/);

    const piped = await cli(['--url', tempDbUrl(), 'demo', '--incidents', '40']);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');

    const json = await cliOnTerminal(['--url', tempDbUrl(), 'demo', '--incidents', '40', '--json']);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    expect(lines(json.stdout)).toHaveLength(40);
  });

  it('migrate up counts the migrations it applies', async () => {
    const url = tempDbUrl();
    expect((await cli(['--url', url, 'migrate', 'up', '--steps', '1'])).code).toBe(0);
    const status = JSON.parse((await cli(['--url', url, 'migrate', 'status', '--json'])).stdout);
    const pending = status.pending.length as number;
    expect(pending).toBeGreaterThanOrEqual(2);
    const up = await cliOnTerminal(['--url', url, 'migrate', 'up']);
    expect(up.code).toBe(0);
    expect(up.stderr).toMatch(new RegExp(`migrate up \\[[^\\]]+\\] ${pending}/${pending} ${status.pending.at(-1)}`));
    expect(lines(up.stdout)).toHaveLength(pending);
    const down = await cliOnTerminal(['--url', url, 'migrate', 'down', '--steps', '2']);
    expect(down.stderr).toMatch(/migrate down \[[^\]]+\] 2\/2/);
    expect((await cli(['--url', url, 'migrate', 'up'])).stderr).toBe('');
  });
});

describe('demo prints a summary and the last few incidents', () => {
  it('12 incidents: 5 rows and a summary that matches the store; --verbose prints all', async () => {
    const url = tempDbUrl();
    const result = await cli(['--url', url, 'demo', '--incidents', '12']);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^inc-\S+\s/gm)).toHaveLength(5);
    expect(result.stdout).toContain('read back from the store (the last 5; --verbose for all):');
    const stored = lines((await cli(['--url', url, 'incidents', 'list', '--limit', '0', '--json'])).stdout).map((line) => JSON.parse(line));
    expect(stored).toHaveLength(12);
    const resolved = stored.filter((incident) => incident.status === 'resolved').length;
    expect(result.stdout).toContain(`stored 12 incidents (${resolved} resolved, ${12 - resolved} failed), 12 agent executions, ${resolved} triage reports`);
    // the rows shown are the last lifecycles run: the newest the store holds. Lifecycles finished
    // within one millisecond tie on createdAt, and the store breaks ties by id, not by run order.
    const shownIds = new Set(result.stdout.match(/^inc-\S+/gm) ?? []);
    const createdAt = (incident: { createdAt: string }) => Date.parse(incident.createdAt);
    const shown = stored.filter((incident) => shownIds.has(incident.incidentId));
    const others = stored.filter((incident) => !shownIds.has(incident.incidentId));
    expect(shown).toHaveLength(5);
    expect(Math.min(...shown.map(createdAt))).toBeGreaterThanOrEqual(Math.max(...others.map(createdAt)));

    const verbose = await cli(['--url', url, 'demo', '--incidents', '7', '--verbose']);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout.match(/^inc-\S+\s/gm)).toHaveLength(7);
    expect(verbose.stderr).toMatch(/^query [\d.]+ ms: /m);
  });
});

describe('incidents list pages', () => {
  const url = tempDbUrl();

  it('shows 50 by default, says more exist, and --cursor walks the rest exactly once', async () => {
    expect((await cli(['--url', url, 'demo', '--incidents', '63'])).code).toBe(0);
    const first = await cli(['--url', url, 'incidents', 'list']);
    expect(first.code).toBe(0);
    const firstIds = first.stdout.match(/^inc-\S+/gm) ?? [];
    expect(firstIds).toHaveLength(50);
    const cursor = /more incidents exist\. Next page: --cursor (\S+)/.exec(first.stdout)?.[1];
    expect(cursor).toBeDefined();

    const second = await cli(['--url', url, 'incidents', 'list', '--cursor', cursor as string]);
    const secondIds = second.stdout.match(/^inc-\S+/gm) ?? [];
    expect(secondIds).toHaveLength(13);
    expect(second.stdout).not.toContain('more incidents exist');
    expect(new Set([...firstIds, ...secondIds]).size).toBe(63);

    const all = await cli(['--url', url, 'incidents', 'list', '--limit', '0']);
    expect(all.stdout.match(/^inc-\S+/gm)).toEqual([...firstIds, ...secondIds]);
    expect(all.stdout).not.toContain('more incidents exist');
  });

  it('under --json stdout holds only incidents; the next cursor is one JSON object on stderr', async () => {
    const pageOne = await cli(['--url', url, 'incidents', 'list', '--json', '--limit', '40']);
    expect(lines(pageOne.stdout)).toHaveLength(40);
    const { nextCursor } = JSON.parse(pageOne.stderr);
    expect(typeof nextCursor).toBe('string');
    const pageTwo = await cli(['--url', url, 'incidents', 'list', '--json', '--limit', '40', '--cursor', nextCursor]);
    expect(lines(pageTwo.stdout)).toHaveLength(23);
    expect(pageTwo.stderr).toBe('');
    const ids = [...lines(pageOne.stdout), ...lines(pageTwo.stdout)].map((line) => JSON.parse(line).incidentId);
    expect(new Set(ids).size).toBe(63);
  });

  it('a malformed cursor is a validation error under --json', async () => {
    const result = await cli(['--url', url, 'incidents', 'list', '--json', '--cursor', 'not-a-cursor']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr).error.code).toBe('VALIDATION');
  });
});

describe('read-only commands never change the schema or create files', () => {
  it.each([[['health']], [['incidents', 'list']], [['incidents', 'show', 'inc-1']], [['migrate', 'status']]])(
    '%j on a missing SQLite path exits 1 and creates nothing',
    async (argv) => {
      const folder = path.join(tempDir(), 'no-such-folder');
      const url = `sqlite://${path.join(folder, 'state.db')}`;
      const result = await cli(['--url', url, ...argv]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error: .*does not exist/);
      expect(fs.existsSync(folder)).toBe(false);
    },
  );

  it('health reports pending migrations without applying them, then up to date', async () => {
    const url = tempDbUrl();
    expect((await cli(['--url', url, 'migrate', 'up', '--steps', '1'])).code).toBe(0);
    const before = JSON.parse((await cli(['--url', url, 'migrate', 'status', '--json'])).stdout);
    const pending = await cli(['--url', url, 'health']);
    expect(pending.code).toBe(0);
    expect(pending.stdout).toMatch(new RegExp(`^schema\\s+${before.pending.length} pending migrations \\(${before.pending.join(', ')}\\): run migrate up$`, 'm'));
    const json = JSON.parse((await cli(['--url', url, 'health', '--json'])).stdout);
    expect(json.schema).toEqual({ state: 'pending', ...before });
    expect(JSON.parse((await cli(['--url', url, 'migrate', 'status', '--json'])).stdout)).toEqual(before);
    expect(fs.statSync(fileOf(url)).size).toBeGreaterThan(0);

    expect((await cli(['--url', url, 'migrate', 'up'])).code).toBe(0);
    const upToDate = await cli(['--url', url, 'health', '--json']);
    expect(JSON.parse(upToDate.stdout).schema).toMatchObject({ state: 'up to date', pending: [] });
  });

  it('incidents list on a database never migrated changes nothing', async () => {
    const url = tempDbUrl();
    expect((await cli(['--url', url, 'migrate', 'up', '--steps', '1'])).code).toBe(0);
    expect((await cli(['--url', url, 'migrate', 'down'])).code).toBe(0);
    const before = (await cli(['--url', url, 'migrate', 'status', '--json'])).stdout;
    const list = await cli(['--url', url, 'incidents', 'list']);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/no nightcrier schema yet: run 'nightcrier-storage migrate up'/);
    expect((await cli(['--url', url, 'migrate', 'status', '--json'])).stdout).toBe(before);
  });
});

describe('--json errors', () => {
  it('a store error is one JSON object with its code on stderr', async () => {
    const url = tempDbUrl();
    expect((await cli(['--url', url, 'migrate', 'up'])).code).toBe(0);
    const result = await cli(['--url', url, 'incidents', 'show', 'inc-missing', '--json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.endsWith('\n')).toBe(true);
    expect(lines(result.stderr)).toHaveLength(1);
    const { error } = JSON.parse(result.stderr);
    expect(Object.keys(error).sort()).toEqual(['code', 'message']);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/inc-missing.*not found/);
  });

  it('bad usage is code USAGE with exit 2, even when the command line does not parse', async () => {
    for (const argv of [['incidents', 'list', '--json', '--limit', 'x'], ['--json', 'frobnicate'], ['--json', '--bogus']]) {
      const result = await cli(argv);
      expect(result.code).toBe(2);
      expect(lines(result.stderr)).toHaveLength(1);
      expect(JSON.parse(result.stderr).error.code).toBe('USAGE');
    }
  });

  it('a connection error keeps the password out, with and without --verbose', async () => {
    const url = 'postgres://nightcrier:hunter2-secret@127.0.0.1:1/nightcrier?connect_timeout=1';
    const plain = await cli(['health', '--json', '--url', url]);
    expect(plain.code).toBe(1);
    expect(JSON.parse(plain.stderr).error.code).toBe('CONNECTION');
    const verbose = await cli(['health', '--json', '--verbose', '--url', url]);
    expect(lines(verbose.stderr)).toHaveLength(1);
    const { error } = JSON.parse(verbose.stderr);
    expect(error.stack).toMatch(/ConnectionError/);
    expect(plain.stderr + verbose.stderr).not.toContain('hunter2-secret');
  });
});
