import { describe, expect, it } from 'vitest';
import type { Incident } from '../domain/types.js';
import { expectAbsent, expectConflict, expectNotFound, expectValidation } from './assertions.js';
import type { ConformanceContext } from './context.js';
import { fullResource, makeEvent, makeFullIncident, makeIncident, seedIncident, uniquePrefix } from './fixtures.js';

/** The incident as stored, without the fields a status change or completion may touch. */
function unchangedPart(incident: Incident): Omit<Incident, 'status' | 'startedAt' | 'completedAt' | 'exitCode' | 'failureReason'> {
  const { status: _s, startedAt: _st, completedAt: _c, exitCode: _e, failureReason: _f, ...rest } = incident;
  return rest;
}

export function describeIncidentWrites(ctx: ConformanceContext): void {
  describe('createIncident', () => {
    it('keeps an existing fault event as it is when a second incident reuses its faultId', async () => {
      const p = uniquePrefix('ci-existing-fault');
      const first = makeEvent(`${p}-f`, { severity: 'low', context: 'first', resource: fullResource() });
      const second = makeEvent(`${p}-f`, { severity: 'critical', context: 'second', cluster: 'other', receivedAt: new Date('2025-01-01T00:00:00.000Z') });
      const a = makeIncident(`${p}-a`, first);
      const b = makeIncident(`${p}-b`, second, { severity: 'critical' });
      await ctx.store().createIncident(a, first);
      await ctx.store().createIncident(b, second);
      expect(await ctx.store().getFaultEvent(first.faultId)).toStrictEqual(first);
      expect(await ctx.store().getIncident(a.incidentId)).toStrictEqual(a);
      expect(await ctx.store().getIncident(b.incidentId)).toStrictEqual(b);
    });

    it('rejects a duplicate incidentId with ConflictError and keeps nothing of the failed call', async () => {
      const p = uniquePrefix('ci-duplicate');
      const original = await seedIncident(ctx.store(), `${p}-i`, { context: 'original' });
      const newEvent = makeEvent(`${p}-new-f`, { context: 'from the failed call' });
      const duplicate = makeIncident(original.incidentId, newEvent, { context: 'duplicate' });
      await expectConflict(ctx.store().createIncident(duplicate, newEvent), original.incidentId);
      await expectNotFound(ctx.store().getFaultEvent(newEvent.faultId));
      expect(await ctx.store().getIncident(original.incidentId)).toStrictEqual(original);
    });

    it('rejects an incident whose faultId differs from the event and writes nothing', async () => {
      const p = uniquePrefix('ci-mismatch');
      const event = makeEvent(`${p}-f`);
      const incident = makeIncident(`${p}-i`, makeEvent(`${p}-other-f`));
      await expectValidation(ctx.store().createIncident(incident, event), /faultId/);
      await expectNotFound(ctx.store().getIncident(incident.incidentId));
      await expectNotFound(ctx.store().getFaultEvent(event.faultId));
      await expectNotFound(ctx.store().getFaultEvent(`${p}-other-f`));
    });
  });

  describe('getFaultEvent and getIncident', () => {
    it('reject unknown ids with NotFoundError naming the id', async () => {
      const p = uniquePrefix('get-unknown');
      const incidentError = await expectNotFound(ctx.store().getIncident(`${p}-missing-i`));
      expect(incidentError.message).toContain(`${p}-missing-i`);
      const eventError = await expectNotFound(ctx.store().getFaultEvent(`${p}-missing-f`));
      expect(eventError.message).toContain(`${p}-missing-f`);
    });
  });

  describe('updateIncidentStatus', () => {
    it('sets startedAt from a Date, leaves it when absent, clears it with null', async () => {
      const p = uniquePrefix('status');
      const original = await seedIncident(ctx.store(), `${p}-i`, { resource: fullResource(), namespace: 'shop' });
      const startedAt = new Date('1969-07-20T20:17:40.123Z');

      await ctx.store().updateIncidentStatus(original.incidentId, 'investigating', startedAt);
      let stored = await ctx.store().getIncident(original.incidentId);
      expect(stored.status).toBe('investigating');
      expect(stored.startedAt).toStrictEqual(startedAt);
      expect(unchangedPart(stored)).toStrictEqual(unchangedPart(original));

      await ctx.store().updateIncidentStatus(original.incidentId, 'agent_failed');
      stored = await ctx.store().getIncident(original.incidentId);
      expect(stored.status).toBe('agent_failed');
      expect(stored.startedAt).toStrictEqual(startedAt);

      await ctx.store().updateIncidentStatus(original.incidentId, 'pending', undefined);
      stored = await ctx.store().getIncident(original.incidentId);
      expect(stored.status).toBe('pending');
      expect(stored.startedAt).toStrictEqual(startedAt);

      await ctx.store().updateIncidentStatus(original.incidentId, 'investigating', null);
      stored = await ctx.store().getIncident(original.incidentId);
      expect(stored.status).toBe('investigating');
      expectAbsent(stored, ['startedAt']);
      expect(stored).toStrictEqual({ ...original, status: 'investigating' });
    });

    it('accepts every status in INCIDENT_STATUSES', async () => {
      const p = uniquePrefix('status-all');
      await seedIncident(ctx.store(), `${p}-i`);
      for (const status of ['pending', 'investigating', 'resolved', 'failed', 'agent_failed'] as const) {
        await ctx.store().updateIncidentStatus(`${p}-i`, status);
        expect((await ctx.store().getIncident(`${p}-i`)).status).toBe(status);
      }
    });

    it('keeps completion fields when the status changes', async () => {
      const p = uniquePrefix('status-keeps');
      const event = makeEvent(`${p}-f`);
      const incident = makeFullIncident(`${p}-i`, event);
      await ctx.store().createIncident(incident, event);
      await ctx.store().updateIncidentStatus(incident.incidentId, 'investigating');
      expect(await ctx.store().getIncident(incident.incidentId)).toStrictEqual({ ...incident, status: 'investigating' });
    });

    it('rejects an unknown incident with NotFoundError', async () => {
      const p = uniquePrefix('status-unknown');
      const error = await expectNotFound(ctx.store().updateIncidentStatus(`${p}-missing`, 'resolved', new Date()));
      expect(error.message).toContain(`${p}-missing`);
      await expectNotFound(ctx.store().getIncident(`${p}-missing`));
    });
  });

  describe('completeIncident', () => {
    const cases = [
      { label: 'exit code 0 without reason → resolved', exitCode: 0, reason: undefined, status: 'resolved' },
      { label: 'non-zero exit code → failed', exitCode: 3, reason: undefined, status: 'failed' },
      { label: 'negative exit code → failed', exitCode: -9, reason: 'killed', status: 'failed' },
      { label: 'exit code 0 with a reason → failed', exitCode: 0, reason: 'report missing', status: 'failed' },
    ] as const;

    for (const testCase of cases) {
      it(testCase.label, async () => {
        const p = uniquePrefix('complete');
        const original = await seedIncident(ctx.store(), `${p}-i`, { status: 'investigating', startedAt: new Date('2024-05-01T10:00:02.000Z') });
        const before = Date.now();
        await ctx.store().completeIncident(original.incidentId, testCase.exitCode, testCase.reason);
        const after = Date.now();
        const stored = await ctx.store().getIncident(original.incidentId);
        expect(stored.status).toBe(testCase.status);
        expect(stored.exitCode).toBe(testCase.exitCode);
        if (testCase.reason === undefined) expectAbsent(stored, ['failureReason']);
        else expect(stored.failureReason).toBe(testCase.reason);
        expect(stored.completedAt).toBeInstanceOf(Date);
        const completedAt = stored.completedAt?.getTime() ?? Number.NaN;
        expect(completedAt).toBeGreaterThanOrEqual(before);
        expect(completedAt).toBeLessThanOrEqual(after);
        expect(stored.startedAt).toStrictEqual(original.startedAt);
        expect(unchangedPart(stored)).toStrictEqual(unchangedPart(original));
      });
    }

    it('rejects an unknown incident with NotFoundError', async () => {
      const p = uniquePrefix('complete-unknown');
      const error = await expectNotFound(ctx.store().completeIncident(`${p}-missing`, 0));
      expect(error.message).toContain(`${p}-missing`);
    });
  });
}
