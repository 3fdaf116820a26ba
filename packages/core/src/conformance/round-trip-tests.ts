import { describe, expect, it } from 'vitest';
import { newIncidentFromEvent } from '../domain/new-incident-from-event.js';
import type { Incident } from '../domain/types.js';
import { expectAbsent } from './assertions.js';
import { type ConformanceContext, HEAVY_TEST_TIMEOUT_MS } from './context.js';
import { fullResource, makeEvent, makeExecution, makeFullIncident, makeIncident, makeReport, uniquePrefix } from './fixtures.js';

const INCIDENT_OPTIONALS = ['startedAt', 'completedAt', 'exitCode', 'failureReason', 'namespace', 'resource', 'triggeringEventId'];

/** Strings that trip up quoting, escaping, LIKE, encodings and collations; each must come back verbatim. */
export const TRICKY_STRINGS: readonly string[] = [
  'Grüße, 日本語, Ελληνικά, עברית',
  '🚀🔥 👩‍💻 🇩🇪',
  `it's "quoted" \`back\``,
  "'; DROP TABLE incidents; --",
  'C:\\path\\to\\file \\n \\\\ \\',
  '100% of _all_ pods',
  '%',
  '_',
  'tab\tnewline\ncarriage\r',
  '  leading and trailing spaces  ',
  'e\u0301 vs \u00e9',
  'zero\u200bwidth\u2028line',
  '\u{10FFFF}\u{1F600}',
];

/** Instants at the edges of what every backend must store to the millisecond. */
export const EDGE_INSTANTS: readonly Date[] = [
  new Date('1969-07-20T20:17:40.123Z'),
  new Date('9999-12-31T23:59:59.999Z'),
  new Date('0001-01-01T00:00:00.000Z'),
  // A two-digit year: Date.UTC and `new Date(y, m, …)` read 0–99 as 1900–1999.
  new Date('0050-06-15T12:34:56.789Z'),
  new Date('1970-01-01T00:00:00.000Z'),
  new Date('1969-12-31T23:59:59.999Z'),
  new Date('2038-01-19T03:14:08.001Z'),
];

export function describeRoundTrips(ctx: ConformanceContext): void {
  describe('round trips', () => {
    it('keeps every field of a fault event with a full resource', async () => {
      const p = uniquePrefix('rt-event-full');
      const event = makeEvent(`${p}-f`, { resource: fullResource(), subscriptionId: `${p}-sub` });
      await ctx.store().createIncident(makeIncident(`${p}-i`, event), event);
      const stored = await ctx.store().getFaultEvent(event.faultId);
      expect(stored).toStrictEqual(event);
      expect(stored.receivedAt).toBeInstanceOf(Date);
    });

    it('keeps a fault event without resource, and resources with and without namespace and uid', async () => {
      const p = uniquePrefix('rt-event-resource');
      const variants = [
        undefined,
        { apiVersion: 'v1', kind: 'Pod', name: 'web-0' },
        { apiVersion: 'v1', kind: 'Pod', name: 'web-1', namespace: 'ns' },
        { apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'uid-1' },
        { apiVersion: '', kind: '', name: '', namespace: '', uid: '' },
      ];
      for (const [index, resource] of variants.entries()) {
        const event = makeEvent(`${p}-f${index}`, resource === undefined ? {} : { resource });
        await ctx.store().createIncident(makeIncident(`${p}-i${index}`, event), event);
        const stored = await ctx.store().getFaultEvent(event.faultId);
        expect(stored).toStrictEqual(event);
        if (resource === undefined) expectAbsent(stored, ['resource']);
        else {
          if (resource.namespace === undefined) expectAbsent(stored.resource ?? {}, ['namespace']);
          if (resource.uid === undefined) expectAbsent(stored.resource ?? {}, ['uid']);
        }
      }
    });

    it('keeps empty strings where they are allowed', async () => {
      const p = uniquePrefix('rt-empty');
      const event = makeEvent(`${p}-f`, { subscriptionId: '', severity: '', context: '', timestamp: '' });
      const incident = makeIncident(`${p}-i`, event, { severity: '', context: '', timestamp: '', failureReason: '', namespace: '' });
      await ctx.store().createIncident(incident, event);
      expect(await ctx.store().getFaultEvent(event.faultId)).toStrictEqual(event);
      const stored = await ctx.store().getIncident(incident.incidentId);
      expect(stored).toStrictEqual(incident);
      expect(stored.failureReason).toBe('');
      expect(stored.namespace).toBe('');
    });

    it('keeps every field of an incident with all optionals set, in get, list and page', async () => {
      const p = uniquePrefix('rt-incident-full');
      const event = makeEvent(`${p}-f`, { cluster: p, resource: fullResource() });
      const incident = makeFullIncident(`${p}-i`, event, { namespace: 'differs-from-resource-namespace' });
      await ctx.store().createIncident(incident, event);
      expect(await ctx.store().getIncident(incident.incidentId)).toStrictEqual(incident);
      expect(await ctx.store().listIncidents({ cluster: p })).toStrictEqual([incident]);
      expect(await ctx.store().pageIncidents({ cluster: p, limit: 5 })).toStrictEqual({ incidents: [incident] });
    });

    it('leaves absent optionals absent on an incident, in get, list and page', async () => {
      const p = uniquePrefix('rt-incident-min');
      const event = makeEvent(`${p}-f`, { cluster: p });
      const incident = makeIncident(`${p}-i`, event);
      await ctx.store().createIncident(incident, event);
      const fromGet = await ctx.store().getIncident(incident.incidentId);
      const [fromList] = await ctx.store().listIncidents({ cluster: p });
      const [fromPage] = (await ctx.store().pageIncidents({ cluster: p })).incidents;
      for (const stored of [fromGet, fromList, fromPage]) {
        expect(stored).toStrictEqual(incident);
        expectAbsent(stored ?? {}, INCIDENT_OPTIONALS);
      }
    });

    it('keeps exit code 0 and the 32-bit extremes', async () => {
      const p = uniquePrefix('rt-exit');
      for (const [index, exitCode] of [0, -1, 2_147_483_647, -2_147_483_648].entries()) {
        const event = makeEvent(`${p}-f${index}`);
        const incident = makeIncident(`${p}-i${index}`, event, { exitCode });
        await ctx.store().createIncident(incident, event);
        expect(await ctx.store().getIncident(incident.incidentId)).toStrictEqual(incident);
        const execution = makeExecution(`${p}-e${index}`, incident.incidentId, { exitCode });
        await ctx.store().recordAgentExecution(execution);
        expect(await ctx.store().listAgentExecutions(incident.incidentId)).toStrictEqual([execution]);
      }
    });

    it('stores tricky strings verbatim in every string field and id', async () => {
      const p = uniquePrefix('rt-strings');
      for (const [index, text] of TRICKY_STRINGS.entries()) {
        const id = `${p}-${index}-${text}`;
        const resource = { apiVersion: text, kind: text, name: text, namespace: text, uid: text };
        const event = makeEvent(`${id}-f`, { subscriptionId: text, cluster: `${p}${text}`, resource, faultType: text, severity: text, context: text, timestamp: text });
        const incident = makeFullIncident(id, event, { failureReason: text, namespace: text });
        await ctx.store().createIncident(incident, event);
        expect(await ctx.store().getFaultEvent(event.faultId)).toStrictEqual(event);
        expect(await ctx.store().getIncident(id)).toStrictEqual(incident);
        const execution = makeExecution(`${id}-e`, id, { errorMessage: text, logPaths: { [text]: text } });
        await ctx.store().recordAgentExecution(execution);
        expect(await ctx.store().listAgentExecutions(id)).toStrictEqual([execution]);
        const report = makeReport(`${id}-r`, id, execution.executionId, { reportMarkdown: text, reportHtml: text });
        await ctx.store().recordTriageReport(report);
        expect(await ctx.store().listTriageReports(id)).toStrictEqual([report]);
      }
    });

    it('keeps millisecond instants before 1970 and up to the year 9999 in every timestamp field', async () => {
      const p = uniquePrefix('rt-instants');
      for (const [index, instant] of EDGE_INSTANTS.entries()) {
        const event = makeEvent(`${p}-f${index}`, { receivedAt: instant });
        const incident = makeIncident(`${p}-i${index}`, event, { createdAt: instant, startedAt: instant, completedAt: instant });
        await ctx.store().createIncident(incident, event);
        const storedEvent = await ctx.store().getFaultEvent(event.faultId);
        expect(storedEvent.receivedAt.toISOString()).toBe(instant.toISOString());
        const stored = await ctx.store().getIncident(incident.incidentId);
        expect(stored).toStrictEqual(incident);
        expect(stored.createdAt.getTime()).toBe(instant.getTime());
        const execution = makeExecution(`${p}-e${index}`, incident.incidentId, { startedAt: instant, completedAt: instant });
        await ctx.store().recordAgentExecution(execution);
        expect(await ctx.store().listAgentExecutions(incident.incidentId)).toStrictEqual([execution]);
        const report = makeReport(`${p}-r${index}`, incident.incidentId, execution.executionId, { generatedAt: instant });
        await ctx.store().recordTriageReport(report);
        const [storedReport] = await ctx.store().listTriageReports(incident.incidentId);
        expect(storedReport?.generatedAt.toISOString()).toBe(instant.toISOString());
      }
    });

    it('keeps an agent execution with and without its optional fields', async () => {
      const p = uniquePrefix('rt-execution');
      const event = makeEvent(`${p}-f`);
      await ctx.store().createIncident(makeIncident(`${p}-i`, event), event);
      const minimal = makeExecution(`${p}-e1`, `${p}-i`, { startedAt: new Date('2024-05-01T10:00:00.001Z') });
      const full = makeExecution(`${p}-e2`, `${p}-i`, {
        startedAt: new Date('2024-05-01T10:00:00.002Z'),
        completedAt: new Date('2024-05-01T10:03:00.999Z'),
        exitCode: 2,
        errorMessage: '',
        logPaths: { stdout: '/var/log/a.out', stderr: '/var/log/a.err', 'agent.json': 's3://bucket/key with space', 'ключ 🚀': '', 'a"b\\c': "it's" },
      });
      const emptyLogs = makeExecution(`${p}-e3`, `${p}-i`, { startedAt: new Date('2024-05-01T10:00:00.003Z'), logPaths: {} });
      for (const execution of [minimal, full, emptyLogs]) await ctx.store().recordAgentExecution(execution);
      const stored = await ctx.store().listAgentExecutions(`${p}-i`);
      expect(stored).toStrictEqual([minimal, full, emptyLogs]);
      expectAbsent(stored[0] ?? {}, ['completedAt', 'exitCode', 'errorMessage', 'logPaths']);
      expect(stored[1]?.errorMessage).toBe('');
      expect(stored[2]?.logPaths).toStrictEqual({});
    });

    it('keeps a triage report with and without html, and an empty markdown', async () => {
      const p = uniquePrefix('rt-report');
      const event = makeEvent(`${p}-f`);
      await ctx.store().createIncident(makeIncident(`${p}-i`, event), event);
      await ctx.store().recordAgentExecution(makeExecution(`${p}-e`, `${p}-i`));
      const minimal = makeReport(`${p}-r1`, `${p}-i`, `${p}-e`, { generatedAt: new Date('2024-05-01T10:06:00.001Z') });
      const full = makeReport(`${p}-r2`, `${p}-i`, `${p}-e`, { generatedAt: new Date('2024-05-01T10:06:00.002Z'), reportHtml: '<h1>Triage</h1>' });
      const empty = makeReport(`${p}-r3`, `${p}-i`, `${p}-e`, { generatedAt: new Date('2024-05-01T10:06:00.003Z'), reportMarkdown: '', reportHtml: '' });
      for (const report of [minimal, full, empty]) await ctx.store().recordTriageReport(report);
      const stored = await ctx.store().listTriageReports(`${p}-i`);
      expect(stored).toStrictEqual([minimal, full, empty]);
      expectAbsent(stored[0] ?? {}, ['reportHtml']);
    });

    it(
      'keeps a 2 MB markdown report and a 1 MB context verbatim',
      async () => {
        const p = uniquePrefix('rt-large');
        const line = '| pod | état | 🚀 | `kubectl` \\ 100% _x_ |\n';
        const markdown = `# Large report\n\n${line.repeat(Math.ceil((2 * 1024 * 1024) / line.length))}`;
        const context = 'x'.repeat(1024 * 1024);
        const event = makeEvent(`${p}-f`, { context });
        await ctx.store().createIncident(makeIncident(`${p}-i`, event), event);
        await ctx.store().recordAgentExecution(makeExecution(`${p}-e`, `${p}-i`));
        await ctx.store().recordTriageReport(makeReport(`${p}-r`, `${p}-i`, `${p}-e`, { reportMarkdown: markdown, reportHtml: markdown }));
        const [report] = await ctx.store().listTriageReports(`${p}-i`);
        expect(report?.reportMarkdown.length).toBe(markdown.length);
        expect(report?.reportMarkdown === markdown, 'markdown differs').toBe(true);
        expect(report?.reportHtml === markdown, 'html differs').toBe(true);
        const stored = await ctx.store().getIncident(`${p}-i`);
        expect(stored.context === context, 'incident context differs').toBe(true);
        expect((await ctx.store().getFaultEvent(`${p}-f`)).context === context, 'event context differs').toBe(true);
      },
      HEAVY_TEST_TIMEOUT_MS,
    );

    it('stores an incident built by newIncidentFromEvent as built', async () => {
      const p = uniquePrefix('rt-from-event');
      const event = makeEvent(`${p}-f`, { resource: fullResource({ namespace: `${p}-ns` }) });
      const now = new Date('2024-05-01T10:00:00.777Z');
      const incident: Incident = newIncidentFromEvent(`${p}-i`, event, now);
      expect(incident).toMatchObject({ status: 'investigating', triggeringEventId: event.faultId, namespace: `${p}-ns`, createdAt: now });
      await ctx.store().createIncident(incident, event);
      expect(await ctx.store().getIncident(incident.incidentId)).toStrictEqual(incident);
    });
  });
}
