import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, lines, removeTempDirs, tempDbUrl, tempDir } from './cli-harness.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

afterAll(removeTempDirs);

function expectNoStack(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('demo, then incidents list / show', () => {
  const url = tempDbUrl();
  let demoOut = '';

  beforeAll(async () => {
    const result = await cli(['--url', url, 'demo', '--incidents', '3']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    demoOut = result.stdout;
  });

  it('demo prints the incidents it stored, read back, with counts', () => {
    expect(demoOut).toContain(url);
    expect(demoOut).toMatch(/^INCIDENT\s+STATUS\s+CLUSTER\s+NAMESPACE\s+FAULT TYPE\s+SEVERITY\s+CREATED\s+EXIT\s+EXECUTIONS\s+REPORTS$/m);
    expect(demoOut.match(/^inc-[0-9a-f-]{36}\s/gm)).toHaveLength(3);
    expect(demoOut).toContain('stored 3 incidents (2 resolved, 1 failed), 3 agent executions, 2 triage reports');
  });

  it('incidents list prints a table with one row per incident', async () => {
    const result = await cli(['--url', url, 'incidents', 'list']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const [header, ...rows] = lines(result.stdout);
    expect(header).toMatch(/^INCIDENT\s+STATUS\s+CLUSTER\s+NAMESPACE\s+FAULT TYPE\s+SEVERITY\s+CREATED\s+EXIT$/);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(/^inc-\S+\s+(resolved|failed)\s+\S+\s+\S+\s+\S+\s+\S+\s+\d{4}-\d{2}-\d{2}T\S+Z\s+[01]$/);
    // columns line up: every row's STATUS starts where the header's does
    const statusColumn = (header as string).indexOf('STATUS');
    for (const row of rows) expect(row.slice(statusColumn)).toMatch(/^(resolved|failed)\s/);
  });

  it('incidents list --json prints one parseable object per line, dates as ISO strings, newest first', async () => {
    const result = await cli(['incidents', 'list', '--json', '--url', url]);
    expect(result.code).toBe(0);
    const incidents = lines(result.stdout).map((line) => JSON.parse(line));
    expect(incidents).toHaveLength(3);
    for (const incident of incidents) {
      expect(incident.incidentId).toMatch(/^inc-/);
      expect(incident.createdAt).toMatch(ISO);
      expect(incident.startedAt).toMatch(ISO);
      expect(incident.completedAt).toMatch(ISO);
      expect(incident.triggeringEventId).toBe(incident.faultId);
    }
    const created = incidents.map((incident) => incident.createdAt as string);
    expect([...created].sort().reverse()).toEqual(created);
    expect(incidents.map((i) => i.status).sort()).toEqual(['failed', 'resolved', 'resolved']);
    expect(incidents.map((i) => i.faultType).sort()).toEqual(['CrashLoopBackOff', 'ImagePullBackOff', 'OOMKilled']);
  });

  it.each([
    [['--status', 'resolved'], 2],
    [['--status', 'failed'], 1],
    [['--status', 'resolved,failed'], 3],
    [['--status', 'pending,investigating'], 0],
    [['--cluster', 'prod-us-east-1'], 1],
    [['--cluster', 'prod-eu-west-1', '--status', 'failed'], 0],
    [['--namespace', 'payments'], 1],
    [['--fault-type', 'ImagePullBackOff'], 1],
    [['--severity', 'critical'], 1],
    [['--limit', '2'], 2],
    [['--limit', '0'], 3],
    [['--since', '2000-01-01'], 3],
    [['--since', '2999-01-01T00:00:00Z'], 0],
    [['--until', '2000-01-01'], 0],
    [['--until', '2999-01-01'], 3],
  ])('incidents list %j narrows to %i', async (filters, expected) => {
    const json = await cli(['--url', url, 'incidents', 'list', '--json', ...filters]);
    expect(json.code).toBe(0);
    expect(lines(json.stdout)).toHaveLength(expected);
    const table = await cli(['--url', url, 'incidents', 'list', ...filters]);
    expect(table.code).toBe(0);
    if (expected === 0) expect(table.stdout).toBe('no incidents found\n');
    else expect(lines(table.stdout).filter((line) => line.startsWith('inc-'))).toHaveLength(expected);
  });

  it('filters by status and cluster return only matching incidents', async () => {
    const failed = lines((await cli(['--url', url, 'incidents', 'list', '--json', '--status', 'failed'])).stdout).map((l) => JSON.parse(l));
    expect(failed.map((i) => [i.status, i.faultType, i.exitCode])).toEqual([['failed', 'ImagePullBackOff', 1]]);
    expect(failed[0].failureReason).toMatch(/agent exited with code 1/);
    const cluster = lines((await cli(['--url', url, 'incidents', 'list', '--cluster=prod-us-east-1'])).stdout);
    expect(cluster[1]).toMatch(/\sprod-us-east-1\s+data-pipeline\s+OOMKilled\s+high\s/);
  });

  it('incidents show prints the incident, its executions and its report', async () => {
    const resolved = JSON.parse(lines((await cli(['--url', url, 'incidents', 'list', '--json', '--fault-type', 'OOMKilled'])).stdout)[0] as string);
    const result = await cli(['--url', url, 'incidents', 'show', resolved.incidentId]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const out = result.stdout;
    expect(out).toMatch(new RegExp(`^incident\\s+${resolved.incidentId}$`, 'm'));
    expect(out).toMatch(/^status\s+resolved$/m);
    expect(out).toMatch(/^resource\s+v1\/Pod data-pipeline\/etl-worker-\S+ \(uid [0-9a-f-]{36}\)$/m);
    expect(out).toMatch(/^exit code\s+0$/m);
    expect(out).toContain('agent executions (1)');
    expect(out).toMatch(/^\s+exec-\S+\s+\S+Z\s+\S+Z\s+0\s+-$/m);
    expect(out).toMatch(/^\s+logs of exec-\S+$/m);
    expect(out).toMatch(/^\s+agent\s+\/var\/lib\/nightcrier\/incidents\/inc-\S+\/agent\.log$/m);
    expect(out).toContain('triage reports (1)');
    expect(out).toContain('# Triage report: OOMKilled on Pod data-pipeline/etl-worker-');
    expect(out).toContain('## Root cause');
  });

  it('incidents show --json prints {incident, executions, reports}', async () => {
    const failed = JSON.parse(lines((await cli(['--url', url, 'incidents', 'list', '--json', '--status', 'failed'])).stdout)[0] as string);
    const result = await cli(['--url', url, '--json', 'incidents', 'show', failed.incidentId]);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toHaveLength(1);
    const shown = JSON.parse(result.stdout);
    expect(Object.keys(shown).sort()).toEqual(['executions', 'incident', 'reports']);
    expect(shown.incident).toEqual(failed);
    expect(shown.executions).toHaveLength(1);
    expect(shown.executions[0]).toMatchObject({ incidentId: failed.incidentId, exitCode: 1 });
    expect(shown.executions[0].errorMessage).toMatch(/context deadline exceeded/);
    expect(shown.executions[0].startedAt).toMatch(ISO);
    expect(Object.keys(shown.executions[0].logPaths)).toEqual(['agent', 'transcript', 'kubectl']);
    expect(shown.reports).toEqual([]);

    const ok = JSON.parse(lines((await cli(['--url', url, 'incidents', 'list', '--json', '--namespace', 'payments'])).stdout)[0] as string);
    const okShown = JSON.parse((await cli(['--url', url, 'incidents', 'show', ok.incidentId, '--json'])).stdout);
    expect(okShown.reports).toHaveLength(1);
    expect(okShown.reports[0]).toMatchObject({ incidentId: ok.incidentId, executionId: okShown.executions[0].executionId });
    expect(okShown.reports[0].generatedAt).toMatch(ISO);
    expect(okShown.reports[0].reportMarkdown).toMatch(/^# Triage report: CrashLoopBackOff/);
  });

  it('incidents show of an unknown id exits 1 with one line on stderr and no stack', async () => {
    const result = await cli(['--url', url, 'incidents', 'show', 'inc-missing']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: .*inc-missing.* not found\n$/);
    expectNoStack(result.stderr);
  });

  it('--verbose adds the stack trace', async () => {
    const result = await cli(['--url', url, 'incidents', 'show', 'inc-missing', '--verbose']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*inc-missing.* not found$/m);
    expect(result.stderr).toMatch(/NotFoundError/);
    expect(result.stderr).toMatch(/^\s+at /m);
  });

  it('demo can run again on the same database: ids never collide', async () => {
    const again = await cli(['--url', url, 'demo', '--incidents', '2', '--json']);
    expect(again.code).toBe(0);
    const stored = lines(again.stdout).map((line) => JSON.parse(line));
    expect(stored).toHaveLength(2);
    expect(stored[0].executions).toHaveLength(1);
    const all = lines((await cli(['--url', url, 'incidents', 'list', '--json'])).stdout);
    expect(all).toHaveLength(5);
    expect(new Set(all.map((line) => JSON.parse(line).incidentId)).size).toBe(5);
  });
});

describe('bad usage exits 2 with a hint', () => {
  const url = tempDbUrl();

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['incidents'], /missing incidents subcommand: expected list, show/],
    [['migrate', 'sideways'], /unknown migrate subcommand "sideways": expected up, down, status/],
    [['incidents', 'list', '--bogus'], /unknown option --bogus/],
    [['incidents', 'list', '--limit', 'ten'], /invalid --limit "ten"/],
    [['incidents', 'list', '--limit=-1'], /invalid --limit "-1"/],
    [['incidents', 'list', '--since', 'last tuesday'], /invalid --since "last tuesday"/],
    [['incidents', 'list', '--until', '2024-02-30'], /invalid --until "2024-02-30"/],
    [['incidents', 'list', '--status', 'done'], /invalid --status "done"/],
    [['incidents', 'list', '--steps', '1'], /unknown option --steps for incidents list/],
    [['incidents', 'list', 'extra'], /unexpected argument "extra" for incidents list/],
    [['incidents', 'show'], /missing ID for incidents show/],
    [['incidents', 'show', 'a', 'b'], /unexpected argument "b"/],
    [['migrate', 'up', '--steps', '0'], /invalid --steps "0"/],
    [['migrate', 'status', '--steps', '1'], /unknown option --steps for migrate status/],
    [['demo', '--incidents', 'many'], /invalid --incidents "many"/],
    [['health', '--url'], /--url needs a value/],
  ])('%j', async (argv, message) => {
    const result = await cli(['--url', url, ...argv]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/--help' for more/);
    expectNoStack(result.stderr);
  });

  it('names the command usage when the command is known', async () => {
    const result = await cli(['--url', url, 'incidents', 'list', '--limit', 'x']);
    expect(result.stderr).toContain('usage: nightcrier-storage [--url URL] incidents list [--status a,b]');
  });

  it('no command at all prints the help on stderr and exits 2', async () => {
    const result = await cli([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: nightcrier-storage [--url URL] COMMAND');
  });

  it('an unsupported URL scheme is bad usage, with the password masked', async () => {
    const result = await cli(['--url', 'oracle://admin:hunter2@db/x', 'health']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('oracle://admin:***@db/x');
    expect(result.stderr).not.toContain('hunter2');
  });
});

describe('--help', () => {
  it('prints the usage and exits 0', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const command of ['migrate up', 'migrate down', 'migrate status', 'incidents list', 'incidents show', 'health', 'demo']) {
      expect(result.stdout).toContain(command);
    }
    expect(result.stdout).toContain('NIGHTCRIER_STORAGE_URL');
    expect((await cli(['help'])).stdout).toBe(result.stdout);
    expect((await cli(['-h'])).stdout).toBe(result.stdout);
  });

  it('after a command prints that command\'s options', async () => {
    const result = await cli(['incidents', 'list', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--fault-type T');
    expect(result.stdout).toContain('--since ISO');
    const group = await cli(['migrate', '--help']);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('migrate status');
    expect(group.stdout).not.toContain('incidents show');
  });
});

describe('migrate', () => {
  it('status, up, down and up again round trip', async () => {
    const url = tempDbUrl();
    // The status of a database file that does not exist yet is an error that creates nothing.
    const missing = await cli(['--url', url, 'migrate', 'status', '--json']);
    expect(missing.code).toBe(1);
    expect(fs.existsSync(url.replace(/^sqlite:\/\//, ''))).toBe(false);

    const first = await cli(['--url', url, 'migrate', 'up', '--steps', '1']);
    expect(first.code).toBe(0);
    const fresh = await cli(['--url', url, 'migrate', 'status', '--json']);
    expect(fresh.code).toBe(0);
    const before = JSON.parse(fresh.stdout);
    expect(before.applied).toEqual(['000001_initial_schema']);
    expect(before.pending.length).toBeGreaterThanOrEqual(1);
    const all = [...before.applied, ...before.pending] as string[];

    const table = await cli(['--url', url, 'migrate', 'status']);
    expect(lines(table.stdout)[0]).toMatch(/^MIGRATION\s+STATUS$/);
    expect(table.stdout).toMatch(/^000001_initial_schema\s+applied$/m);
    expect(table.stdout).toMatch(/^000002_list_order_indexes\s+pending$/m);

    await cli(['--url', url, 'migrate', 'down']);
    const up = await cli(['--url', url, 'migrate', 'up']);
    expect(up.code).toBe(0);
    expect(lines(up.stdout)).toEqual(all.map((name) => `applied  ${name}`));
    const afterUp = await cli(['--url', url, 'migrate', 'status']);
    expect(afterUp.stdout).toMatch(/^000001_initial_schema\s+applied$/m);
    expect(afterUp.stdout).toContain(`${all.length} applied, 0 pending`);

    const again = await cli(['--url', url, 'migrate', 'up']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('database is up to date: no pending migrations\n');

    const down = await cli(['--url', url, 'migrate', 'down', '--steps', String(all.length)]);
    expect(down.code).toBe(0);
    expect(lines(down.stdout)).toEqual([...all].reverse().map((name) => `reverted ${name}`));
    expect(JSON.parse((await cli(['--url', url, 'migrate', 'status', '--json'])).stdout)).toEqual({ applied: [], pending: all, unknown: [] });

    const nothing = await cli(['--url', url, 'migrate', 'down']);
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toBe('nothing to revert: no applied migrations\n');

    const upJson = await cli(['--url', url, 'migrate', 'up', '--steps', '1', '--json']);
    expect(JSON.parse(upJson.stdout)).toEqual({ direction: 'up', migrations: [all[0]] });
    expect(JSON.parse((await cli(['--url', url, 'migrate', 'status', '--json'])).stdout).applied).toEqual([all[0]]);

    // the schema works after the round trip
    expect((await cli(['--url', url, 'demo', '--incidents', '1'])).code).toBe(0);
    expect(lines((await cli(['--url', url, 'incidents', 'list', '--json'])).stdout)).toHaveLength(1);
  });
});

describe('health', () => {
  it('prints ok and exits 0 when the database answers', async () => {
    const url = tempDbUrl();
    expect((await cli(['--url', url, 'migrate', 'up'])).code).toBe(0);
    const result = await cli(['health', '--url', url]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(lines(result.stdout)[0]).toBe('ok');
    expect(result.stdout).toMatch(/^backend\s+sqlite$/m);
    const json = JSON.parse((await cli(['health', '--json', '--url', url])).stdout);
    expect(json).toMatchObject({ ok: true, backend: 'sqlite', url });
    expect(json.connections).toHaveProperty('totalConnections');
  });

  it('exits 1 with one line when the database cannot be opened', async () => {
    // a regular file where a directory should be: no adapter can create the database there
    const blocker = path.join(tempDir(), 'not-a-directory');
    fs.writeFileSync(blocker, '');
    const url = `sqlite://${blocker}/state.db`;
    const result = await cli(['health', '--url', url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: /);
  });

  it('never prints the password of a connection URL', async () => {
    const result = await cli(['health', '--url', 'postgres://nightcrier:hunter2-secret@127.0.0.1:1/nightcrier?connect_timeout=1']);
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr + result.stdout).not.toContain('hunter2-secret');
    const verbose = await cli(['health', '--verbose', '--url', 'postgres://nightcrier:hunter2-secret@127.0.0.1:1/nightcrier?connect_timeout=1']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr + verbose.stdout).not.toContain('hunter2-secret');
  });
});

describe('the connection URL', () => {
  it('comes from $NIGHTCRIER_STORAGE_URL when --url is absent, and --url wins over it', async () => {
    const fromEnv = tempDbUrl('env.db');
    const fromFlag = tempDbUrl('flag.db');
    const env = { NIGHTCRIER_STORAGE_URL: fromEnv };
    expect((await cli(['demo', '--incidents', '2'], env)).code).toBe(0);
    expect((await cli(['demo', '--incidents', '1', '--url', fromFlag], env)).code).toBe(0);
    expect(lines((await cli(['incidents', 'list', '--json'], env)).stdout)).toHaveLength(2);
    expect(lines((await cli(['--url', fromEnv, 'incidents', 'list', '--json'])).stdout)).toHaveLength(2);
    expect(lines((await cli(['incidents', 'list', '--json', '--url', fromFlag], env)).stdout)).toHaveLength(1);
    const health = JSON.parse((await cli(['health', '--json'], env)).stdout);
    expect(health.url).toBe(fromEnv);
  });
});
