import { describe, expect, it } from 'vitest';
import type { AgentExecution, FaultEvent, Incident, IncidentFilters, IncidentPageFilters, IncidentStatus, TriageReport } from '../domain/types.js';
import type { StateStore } from '../state-store.js';
import { expectNoIncident, expectValidation } from './assertions.js';
import type { ConformanceContext } from './context.js';
import { makeEvent, makeExecution, makeIncident, makeReport, seedExecution, seedIncident, uniquePrefix } from './fixtures.js';

const INVALID_DATE = new Date(Number.NaN);
const NUL = 'before\u0000after';
const BAD_STATUS = 'RESOLVED' as IncidentStatus;

interface CreateCase {
  label: string;
  field: string;
  incident?: Partial<Record<keyof Incident, unknown>>;
  event?: Partial<Record<keyof FaultEvent, unknown>>;
}

// Each case breaks one field of an otherwise valid createIncident call.
const CREATE_CASES: readonly CreateCase[] = [
  { label: 'empty incidentId', field: 'incident.incidentId', incident: { incidentId: '' } },
  { label: 'empty incident cluster', field: 'incident.cluster', incident: { cluster: '' } },
  { label: 'empty event cluster', field: 'event.cluster', event: { cluster: '' } },
  { label: 'empty incident faultType', field: 'incident.faultType', incident: { faultType: '' } },
  { label: 'empty event faultType', field: 'event.faultType', event: { faultType: '' } },
  { label: 'status outside INCIDENT_STATUSES', field: 'incident.status', incident: { status: 'done' } },
  { label: 'status in the wrong case', field: 'incident.status', incident: { status: BAD_STATUS } },
  { label: 'invalid createdAt', field: 'incident.createdAt', incident: { createdAt: INVALID_DATE } },
  { label: 'invalid startedAt', field: 'incident.startedAt', incident: { startedAt: INVALID_DATE } },
  { label: 'invalid completedAt', field: 'incident.completedAt', incident: { completedAt: INVALID_DATE } },
  { label: 'invalid receivedAt', field: 'event.receivedAt', event: { receivedAt: INVALID_DATE } },
  { label: 'non-integer exitCode', field: 'incident.exitCode', incident: { exitCode: 1.5 } },
  { label: 'NUL in incident context', field: 'incident.context', incident: { context: NUL } },
  { label: 'NUL in event context', field: 'event.context', event: { context: NUL } },
  { label: 'NUL in failureReason', field: 'incident.failureReason', incident: { failureReason: NUL } },
  { label: 'a lone surrogate in context', field: 'incident.context', incident: { context: 'broken \uD800 text' } },
  { label: 'NUL in resource name', field: 'event.resource.name', event: { resource: { apiVersion: 'v1', kind: 'Pod', name: NUL } } },
];

export function describeValidation(ctx: ConformanceContext): void {
  describe('validation', () => {
    describe('createIncident', () => {
      for (const testCase of CREATE_CASES) {
        it(`rejects ${testCase.label} naming ${testCase.field}, and writes nothing`, async () => {
          const p = uniquePrefix('val-create');
          const event = { ...makeEvent(`${p}-f`), ...testCase.event } as FaultEvent;
          const incident = { ...makeIncident(`${p}-i`, makeEvent(`${p}-f`)), ...testCase.incident } as Incident;
          await expectValidation(ctx.store().createIncident(incident, event), testCase.field);
          await expectNoIncident(ctx.store(), `${p}-i`, `${p}-f`);
        });
      }

      it('rejects empty faultIds', async () => {
        const p = uniquePrefix('val-fault-id');
        const event = makeEvent('');
        await expectValidation(ctx.store().createIncident(makeIncident(`${p}-i`, event), event), /faultId$/);
        await expectNoIncident(ctx.store(), `${p}-i`);
      });
    });

    describe('updateIncidentStatus and completeIncident', () => {
      async function expectUnchanged(store: StateStore, incident: Incident): Promise<void> {
        expect(await store.getIncident(incident.incidentId)).toStrictEqual(incident);
      }

      it('reject a bad status, an invalid startedAt and an empty id, and change nothing', async () => {
        const p = uniquePrefix('val-status');
        const incident = await seedIncident(ctx.store(), `${p}-i`);
        await expectValidation(ctx.store().updateIncidentStatus(incident.incidentId, 'closed' as IncidentStatus), 'status');
        await expectValidation(ctx.store().updateIncidentStatus(incident.incidentId, BAD_STATUS), 'status');
        await expectValidation(ctx.store().updateIncidentStatus(incident.incidentId, 'investigating', INVALID_DATE), 'startedAt');
        await expectValidation(ctx.store().updateIncidentStatus('', 'investigating'), 'incidentId');
        await expectUnchanged(ctx.store(), incident);
      });

      it('reject a non-integer exit code and a NUL in the failure reason, and change nothing', async () => {
        const p = uniquePrefix('val-complete');
        const incident = await seedIncident(ctx.store(), `${p}-i`);
        for (const exitCode of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
          await expectValidation(ctx.store().completeIncident(incident.incidentId, exitCode), 'exitCode');
        }
        await expectValidation(ctx.store().completeIncident(incident.incidentId, '0' as unknown as number), 'exitCode');
        await expectValidation(ctx.store().completeIncident(incident.incidentId, 1, NUL), 'failureReason');
        await expectValidation(ctx.store().completeIncident('', 0), 'incidentId');
        await expectUnchanged(ctx.store(), incident);
      });
    });

    describe('recordAgentExecution and recordTriageReport', () => {
      const executionCases: ReadonlyArray<[string, string | RegExp, Partial<Record<keyof AgentExecution, unknown>>]> = [
        ['empty executionId', 'execution.executionId', { executionId: '' }],
        ['empty incidentId', 'execution.incidentId', { incidentId: '' }],
        ['invalid startedAt', 'execution.startedAt', { startedAt: INVALID_DATE }],
        ['invalid completedAt', 'execution.completedAt', { completedAt: INVALID_DATE }],
        ['non-integer exitCode', 'execution.exitCode', { exitCode: 1.5 }],
        ['NUL in errorMessage', 'execution.errorMessage', { errorMessage: NUL }],
        ['NUL in a log path', /^execution\.logPaths/, { logPaths: { stdout: NUL } }],
      ];
      for (const [label, field, change] of executionCases) {
        it(`execution: rejects ${label} and writes nothing`, async () => {
          const p = uniquePrefix('val-exec');
          const incident = await seedIncident(ctx.store(), `${p}-i`);
          const execution = { ...makeExecution(`${p}-e`, incident.incidentId), ...change } as AgentExecution;
          await expectValidation(ctx.store().recordAgentExecution(execution), field);
          expect(await ctx.store().listAgentExecutions(incident.incidentId)).toStrictEqual([]);
        });
      }

      const reportCases: ReadonlyArray<[string, string, Partial<Record<keyof TriageReport, unknown>>]> = [
        ['empty reportId', 'report.reportId', { reportId: '' }],
        ['empty executionId', 'report.executionId', { executionId: '' }],
        ['invalid generatedAt', 'report.generatedAt', { generatedAt: INVALID_DATE }],
        ['NUL in reportMarkdown', 'report.reportMarkdown', { reportMarkdown: `# report\n${NUL}` }],
        ['NUL in reportHtml', 'report.reportHtml', { reportHtml: NUL }],
      ];
      for (const [label, field, change] of reportCases) {
        it(`report: rejects ${label} and writes nothing`, async () => {
          const p = uniquePrefix('val-report');
          const { incident, execution } = await seedExecution(ctx.store(), p);
          const report = { ...makeReport(`${p}-r`, incident.incidentId, execution.executionId), ...change } as TriageReport;
          await expectValidation(ctx.store().recordTriageReport(report), field);
          expect(await ctx.store().listTriageReports(incident.incidentId)).toStrictEqual([]);
        });
      }
    });

    describe('reads and filters', () => {
      const filterCases: ReadonlyArray<[string, string | RegExp, Record<string, unknown>]> = [
        ['a status outside INCIDENT_STATUSES', /^filters\.status/, { status: ['pending', 'open'] }],
        ['a negative limit', 'filters.limit', { limit: -1 }],
        ['a non-integer limit', 'filters.limit', { limit: 1.5 }],
        ['a NaN limit', 'filters.limit', { limit: Number.NaN }],
        ['a negative offset', 'filters.offset', { offset: -1 }],
        ['a non-integer offset', 'filters.offset', { offset: 2.5 }],
        ['a NUL in cluster', 'filters.cluster', { cluster: NUL }],
        ['a NUL in namespace', 'filters.namespace', { namespace: NUL }],
        ['a NUL in faultType', 'filters.faultType', { faultType: NUL }],
        ['a NUL in severity', 'filters.severity', { severity: NUL }],
        ['an invalid createdAfter', 'filters.createdAfter', { createdAfter: INVALID_DATE }],
        ['an invalid createdBefore', 'filters.createdBefore', { createdBefore: INVALID_DATE }],
      ];
      for (const [label, field, filters] of filterCases) {
        it(`listIncidents rejects ${label}`, async () => {
          await expectValidation(ctx.store().listIncidents(filters as IncidentFilters), field);
        });
        if (!('offset' in filters)) {
          it(`pageIncidents rejects ${label}`, async () => {
            await expectValidation(ctx.store().pageIncidents(filters as IncidentPageFilters), field);
          });
        }
      }

      it('get and list calls reject empty ids', async () => {
        await expectValidation(ctx.store().getIncident(''), 'incidentId');
        await expectValidation(ctx.store().getFaultEvent(''), 'faultId');
        await expectValidation(ctx.store().listAgentExecutions(''), 'incidentId');
        await expectValidation(ctx.store().listTriageReports(''), 'incidentId');
      });
    });
  });
}
