import { describe, expect, it } from 'vitest';
import type { Incident } from '../domain/types.js';
import { ConflictError } from '../errors/state-store-error.js';
import { expectNotFound } from './assertions.js';
import { HEAVY_TEST_TIMEOUT_MS, type ConformanceContext } from './context.js';
import { at, idsOf, makeEvent, makeExecution, makeIncident, makeReport, seedIncident, uniquePrefix } from './fixtures.js';

function pad(index: number): string {
  return String(index).padStart(3, '0');
}

export function describeConcurrency(ctx: ConformanceContext): void {
  describe('concurrency', () => {
    it(
      'loses nothing with 300 concurrent createIncident calls',
      async () => {
        const p = uniquePrefix('conc-create');
        const incidents = Array.from({ length: 300 }, (_, i) => {
          const event = makeEvent(`${p}-f${pad(i)}`, { cluster: p });
          return { event, incident: makeIncident(`${p}-${pad(i)}`, event, { createdAt: at(i % 7) }) };
        });
        const results = await Promise.allSettled(incidents.map(({ incident, event }) => ctx.store().createIncident(incident, event)));
        expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
        const listed = await ctx.store().listIncidents({ cluster: p });
        expect(listed).toHaveLength(300);
        expect(new Set(idsOf(listed))).toEqual(new Set(incidents.map(({ incident }) => incident.incidentId)));
      },
      HEAVY_TEST_TIMEOUT_MS,
    );

    it(
      'stores one fault event when 50 concurrent incidents share its faultId',
      async () => {
        const p = uniquePrefix('conc-shared-fault');
        const event = makeEvent(`${p}-f`, { cluster: p });
        const results = await Promise.allSettled(
          Array.from({ length: 50 }, (_, i) => ctx.store().createIncident(makeIncident(`${p}-${pad(i)}`, event), event)),
        );
        expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
        expect(await ctx.store().listIncidents({ cluster: p })).toHaveLength(50);
        expect(await ctx.store().getFaultEvent(event.faultId)).toStrictEqual(event);
      },
      HEAVY_TEST_TIMEOUT_MS,
    );

    it(
      'lets exactly one of 10 concurrent creates of one incidentId win; the others get ConflictError and leave nothing',
      async () => {
        const p = uniquePrefix('conc-dup');
        const attempts = Array.from({ length: 10 }, (_, i) => {
          const event = makeEvent(`${p}-f${i}`, { cluster: p });
          return { event, incident: makeIncident(`${p}-i`, event, { context: `attempt ${i}` }) };
        });
        const results = await Promise.allSettled(attempts.map(({ incident, event }) => ctx.store().createIncident(incident, event)));
        const winners = results.flatMap((result, i) => (result.status === 'fulfilled' ? [i] : []));
        expect(winners).toHaveLength(1);
        for (const result of results) {
          if (result.status === 'rejected') {
            expect(result.reason).toBeInstanceOf(ConflictError);
            expect((result.reason as ConflictError).code).toBe('CONFLICT');
          }
        }
        const winner = attempts[winners[0] ?? -1];
        expect(await ctx.store().getIncident(`${p}-i`)).toStrictEqual(winner?.incident);
        for (const [i, { event }] of attempts.entries()) {
          if (i === winners[0]) expect(await ctx.store().getFaultEvent(event.faultId)).toStrictEqual(event);
          else await expectNotFound(ctx.store().getFaultEvent(event.faultId));
        }
      },
      HEAVY_TEST_TIMEOUT_MS,
    );

    it(
      'loses nothing with 100 concurrent recordAgentExecution calls',
      async () => {
        const p = uniquePrefix('conc-exec');
        const incident = await seedIncident(ctx.store(), `${p}-i`);
        const executions = Array.from({ length: 100 }, (_, i) =>
          makeExecution(`${p}-e${pad(i)}`, incident.incidentId, { startedAt: new Date(Date.UTC(2024, 4, 1, 10, 0, 0, i)), exitCode: i }),
        );
        const results = await Promise.allSettled(executions.map((execution) => ctx.store().recordAgentExecution(execution)));
        expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
        expect(await ctx.store().listAgentExecutions(incident.incidentId)).toStrictEqual(executions);
      },
      HEAVY_TEST_TIMEOUT_MS,
    );

    it(
      'keeps one row when 20 concurrent upserts hit one executionId',
      async () => {
        const p = uniquePrefix('conc-upsert');
        const incident = await seedIncident(ctx.store(), `${p}-i`);
        const versions = Array.from({ length: 20 }, (_, i) => makeExecution(`${p}-e`, incident.incidentId, { exitCode: i, errorMessage: `v${i}` }));
        const results = await Promise.allSettled(versions.map((execution) => ctx.store().recordAgentExecution(execution)));
        expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
        const stored = await ctx.store().listAgentExecutions(incident.incidentId);
        expect(stored).toHaveLength(1);
        expect(versions).toContainEqual(stored[0]);
      },
      HEAVY_TEST_TIMEOUT_MS,
    );

    it(
      'loses no row and no update under concurrent mixed writes',
      async () => {
        const p = uniquePrefix('conc-mixed');
        const seeded: Incident[] = [];
        for (let i = 0; i < 60; i += 1) seeded.push(await seedIncident(ctx.store(), `${p}-s${pad(i)}`, { cluster: p, createdAt: at(i) }));
        const startedAt = new Date('2024-05-01T11:00:00.000Z');
        const work: Array<Promise<unknown>> = [];
        for (const [i, incident] of seeded.entries()) {
          const id = incident.incidentId;
          if (i % 4 === 0) work.push(ctx.store().updateIncidentStatus(id, 'investigating', startedAt));
          if (i % 4 === 1) work.push(ctx.store().completeIncident(id, i % 8 === 1 ? 0 : 2));
          if (i % 4 === 2) {
            work.push(
              ctx.store()
                .recordAgentExecution(makeExecution(`${id}-e`, id))
                .then(() => ctx.store().recordTriageReport(makeReport(`${id}-r`, id, `${id}-e`))),
            );
          }
          if (i % 4 === 3) {
            work.push(ctx.store().transaction(async (tx) => {
              await tx.updateIncidentStatus(id, 'agent_failed');
              await seedIncident(tx, `${id}-tx`, { cluster: p });
            }));
          }
          work.push(seedIncident(ctx.store(), `${p}-n${pad(i)}`, { cluster: p }));
        }
        const results = await Promise.allSettled(work);
        expect(results.filter((result) => result.status === 'rejected')).toEqual([]);

        const listed = await ctx.store().listIncidents({ cluster: p });
        expect(listed).toHaveLength(60 + 60 + 15);
        const byId = new Map(listed.map((incident) => [incident.incidentId, incident]));
        for (const [i, incident] of seeded.entries()) {
          const stored = byId.get(incident.incidentId);
          if (i % 4 === 0) expect(stored).toMatchObject({ status: 'investigating', startedAt });
          if (i % 4 === 1) expect(stored).toMatchObject({ status: i % 8 === 1 ? 'resolved' : 'failed', exitCode: i % 8 === 1 ? 0 : 2 });
          if (i % 4 === 2) {
            expect(stored?.status).toBe('pending');
            expect(await ctx.store().listAgentExecutions(incident.incidentId)).toHaveLength(1);
            expect(await ctx.store().listTriageReports(incident.incidentId)).toHaveLength(1);
          }
          if (i % 4 === 3) {
            expect(stored?.status).toBe('agent_failed');
            expect(byId.has(`${incident.incidentId}-tx`)).toBe(true);
          }
        }
      },
      HEAVY_TEST_TIMEOUT_MS,
    );

    it(
      'commits 20 concurrent transactions completely',
      async () => {
        const p = uniquePrefix('conc-tx');
        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, i) =>
            ctx.store().transaction(async (tx) => {
              await seedIncident(tx, `${p}-${pad(i)}-a`, { cluster: p });
              await seedIncident(tx, `${p}-${pad(i)}-b`, { cluster: p });
              return i;
            }),
          ),
        );
        expect(results.map((result) => (result.status === 'fulfilled' ? result.value : result.reason))).toEqual(
          Array.from({ length: 20 }, (_, i) => i),
        );
        expect(await ctx.store().listIncidents({ cluster: p })).toHaveLength(40);
      },
      HEAVY_TEST_TIMEOUT_MS,
    );
  });
}
