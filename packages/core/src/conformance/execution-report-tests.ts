import { describe, expect, it } from 'vitest';
import { expectConflict, expectForeignKey } from './assertions.js';
import type { ConformanceContext } from './context.js';
import { makeExecution, makeReport, seedExecution, seedIncident, uniquePrefix } from './fixtures.js';

export function describeExecutionsAndReports(ctx: ConformanceContext): void {
  describe('recordAgentExecution', () => {
    it('inserts, then updates completedAt, exitCode, errorMessage and logPaths of the same executionId', async () => {
      const p = uniquePrefix('exec-upsert');
      const incident = await seedIncident(ctx.store(), `${p}-i`);
      const started = makeExecution(`${p}-e`, incident.incidentId, { logPaths: { stdout: '/logs/out' } });
      await ctx.store().recordAgentExecution(started);
      expect(await ctx.store().listAgentExecutions(incident.incidentId)).toStrictEqual([started]);

      const finished = {
        ...started,
        completedAt: new Date('2024-05-01T10:09:59.999Z'),
        exitCode: 1,
        errorMessage: 'agent crashed: "OOM" at 100%',
        logPaths: { stdout: '/logs/out', stderr: '/logs/err', transcript: '/logs/🚀.json' },
      };
      await ctx.store().recordAgentExecution(finished);
      expect(await ctx.store().listAgentExecutions(incident.incidentId)).toStrictEqual([finished]);

      const retried = { ...finished, completedAt: new Date('2024-05-01T10:19:59.001Z'), exitCode: 0, errorMessage: 'retried', logPaths: { stdout: '/logs/out2' } };
      await ctx.store().recordAgentExecution(retried);
      expect(await ctx.store().listAgentExecutions(incident.incidentId)).toStrictEqual([retried]);
    });

    it('keeps startedAt of an existing execution on update', async () => {
      const p = uniquePrefix('exec-keep-start');
      const incident = await seedIncident(ctx.store(), `${p}-i`);
      const started = makeExecution(`${p}-e`, incident.incidentId, { startedAt: new Date('2024-05-01T10:00:00.001Z') });
      await ctx.store().recordAgentExecution(started);
      await ctx.store().recordAgentExecution({ ...started, startedAt: new Date('2030-01-01T00:00:00.000Z'), exitCode: 0 });
      expect(await ctx.store().listAgentExecutions(incident.incidentId)).toStrictEqual([{ ...started, exitCode: 0 }]);
    });

    it('rejects an unknown incident with ForeignKeyError and writes nothing', async () => {
      const p = uniquePrefix('exec-fk');
      await expectForeignKey(ctx.store().recordAgentExecution(makeExecution(`${p}-e`, `${p}-missing`)), `${p}-e`);
      expect(await ctx.store().listAgentExecutions(`${p}-missing`)).toStrictEqual([]);
    });

    it('updates the first incident’s execution when its executionId comes again under another incident, known or not', async () => {
      const p = uniquePrefix('exec-other-incident');
      const first = await seedIncident(ctx.store(), `${p}-a`);
      const other = await seedIncident(ctx.store(), `${p}-b`);
      const started = makeExecution(`${p}-e`, first.incidentId);
      await ctx.store().recordAgentExecution(started);
      await ctx.store().recordAgentExecution({ ...started, incidentId: other.incidentId, exitCode: 3, errorMessage: 'from b' });
      expect(await ctx.store().listAgentExecutions(first.incidentId)).toStrictEqual([{ ...started, exitCode: 3, errorMessage: 'from b' }]);
      expect(await ctx.store().listAgentExecutions(other.incidentId)).toStrictEqual([]);
      // The executionId is the key: an unknown incident on an existing execution is no new row to check.
      await ctx.store().recordAgentExecution({ ...started, incidentId: `${p}-missing`, exitCode: 4, errorMessage: 'from nowhere' });
      expect(await ctx.store().listAgentExecutions(first.incidentId)).toStrictEqual([{ ...started, exitCode: 4, errorMessage: 'from nowhere' }]);
      expect(await ctx.store().listAgentExecutions(`${p}-missing`)).toStrictEqual([]);
    });

    it('lists an incident’s executions oldest startedAt first, and only that incident’s', async () => {
      const p = uniquePrefix('exec-order');
      const incident = await seedIncident(ctx.store(), `${p}-i`);
      const other = await seedIncident(ctx.store(), `${p}-other`);
      const times = ['2024-05-01T10:00:00.003Z', '1969-07-20T20:17:40.123Z', '2024-05-01T10:00:00.001Z', '9999-12-31T23:59:59.999Z', '2024-05-01T10:00:00.002Z'];
      const executions = times.map((time, index) => makeExecution(`${p}-e${index}`, incident.incidentId, { startedAt: new Date(time) }));
      for (const execution of executions) await ctx.store().recordAgentExecution(execution);
      await ctx.store().recordAgentExecution(makeExecution(`${p}-x`, other.incidentId));
      const expected = [...executions].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
      expect(await ctx.store().listAgentExecutions(incident.incidentId)).toStrictEqual(expected);
      expect(await ctx.store().listAgentExecutions(`${p}-none`)).toStrictEqual([]);
    });
  });

  describe('recordTriageReport', () => {
    it('inserts a report and lists it', async () => {
      const p = uniquePrefix('report-insert');
      const { incident, execution } = await seedExecution(ctx.store(), p);
      const report = makeReport(`${p}-r`, incident.incidentId, execution.executionId, { reportHtml: '<p>ok</p>' });
      await ctx.store().recordTriageReport(report);
      expect(await ctx.store().listTriageReports(incident.incidentId)).toStrictEqual([report]);
    });

    it('rejects a duplicate reportId with ConflictError and keeps the first report', async () => {
      const p = uniquePrefix('report-dup');
      const { incident, execution } = await seedExecution(ctx.store(), p);
      const report = makeReport(`${p}-r`, incident.incidentId, execution.executionId);
      await ctx.store().recordTriageReport(report);
      const again = { ...report, reportMarkdown: 'second', generatedAt: new Date('2024-06-01T00:00:00.000Z') };
      await expectConflict(ctx.store().recordTriageReport(again), report.reportId);
      expect(await ctx.store().listTriageReports(incident.incidentId)).toStrictEqual([report]);
    });

    it('rejects an unknown incident with ForeignKeyError and writes nothing', async () => {
      const p = uniquePrefix('report-fk-incident');
      const { execution } = await seedExecution(ctx.store(), p);
      await expectForeignKey(ctx.store().recordTriageReport(makeReport(`${p}-r`, `${p}-missing`, execution.executionId)), `${p}-r`);
      expect(await ctx.store().listTriageReports(`${p}-missing`)).toStrictEqual([]);
    });

    it('rejects an unknown execution with ForeignKeyError and writes nothing', async () => {
      const p = uniquePrefix('report-fk-execution');
      const { incident } = await seedExecution(ctx.store(), p);
      await expectForeignKey(ctx.store().recordTriageReport(makeReport(`${p}-r`, incident.incidentId, `${p}-missing`)), `${p}-r`);
      expect(await ctx.store().listTriageReports(incident.incidentId)).toStrictEqual([]);
    });

    it('takes a report naming another incident’s execution (the execution need only exist), and its reportId stays taken for every incident', async () => {
      const p = uniquePrefix('report-other-execution');
      const { incident, execution } = await seedExecution(ctx.store(), p);
      const other = await seedIncident(ctx.store(), `${p}-other`);
      const report = makeReport(`${p}-r`, other.incidentId, execution.executionId);
      await ctx.store().recordTriageReport(report);
      expect(await ctx.store().listTriageReports(other.incidentId)).toStrictEqual([report]);
      await expectConflict(ctx.store().recordTriageReport({ ...report, incidentId: incident.incidentId }), report.reportId);
      expect(await ctx.store().listTriageReports(incident.incidentId)).toStrictEqual([]);
    });

    it('lists an incident’s reports oldest generatedAt first, and only that incident’s', async () => {
      const p = uniquePrefix('report-order');
      const { incident, execution } = await seedExecution(ctx.store(), p);
      const other = await seedExecution(ctx.store(), `${p}-other`);
      const times = ['2024-05-01T10:06:00.002Z', '0001-01-01T00:00:00.000Z', '2024-05-01T10:06:00.003Z', '1969-12-31T23:59:59.999Z', '2024-05-01T10:06:00.001Z'];
      const reports = times.map((time, index) =>
        makeReport(`${p}-r${index}`, incident.incidentId, execution.executionId, { generatedAt: new Date(time), reportMarkdown: `report ${index}` }),
      );
      for (const report of reports) await ctx.store().recordTriageReport(report);
      await ctx.store().recordTriageReport(makeReport(`${p}-x`, other.incident.incidentId, other.execution.executionId));
      const expected = [...reports].sort((a, b) => a.generatedAt.getTime() - b.generatedAt.getTime());
      expect(await ctx.store().listTriageReports(incident.incidentId)).toStrictEqual(expected);
      expect(await ctx.store().listTriageReports(`${p}-none`)).toStrictEqual([]);
    });
  });
}
