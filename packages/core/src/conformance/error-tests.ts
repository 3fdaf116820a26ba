import { describe, expect, it } from 'vitest';
import { StateStoreError } from '../errors/state-store-error.js';
import { expectConflict, expectForeignKey, expectNotFound, expectValidation } from './assertions.js';
import type { ConformanceContext } from './context.js';
import { makeEvent, makeExecution, makeIncident, makeReport, seedExecution, seedIncident, uniquePrefix } from './fixtures.js';

export function describeErrors(ctx: ConformanceContext): void {
  describe('errors', () => {
    it('NotFoundError: code NOT_FOUND, its class name, a message naming the id', async () => {
      const p = uniquePrefix('err-not-found');
      for (const call of [
        () => ctx.store().getIncident(`${p}-x`),
        () => ctx.store().getFaultEvent(`${p}-x`),
        () => ctx.store().updateIncidentStatus(`${p}-x`, 'pending'),
        () => ctx.store().completeIncident(`${p}-x`, 0),
      ]) {
        const error = await expectNotFound(call());
        expect(error.name).toBe('NotFoundError');
        expect(error.message).toContain(`${p}-x`);
      }
    });

    it('ConflictError: code CONFLICT, "failed to …" naming the record, the driver error as cause', async () => {
      const p = uniquePrefix('err-conflict');
      const { incident, execution } = await seedExecution(ctx.store(), p);
      const event = makeEvent(`${p}-other-f`);
      const incidentConflict = await expectConflict(ctx.store().createIncident(makeIncident(incident.incidentId, event), event), incident.incidentId);
      expect(incidentConflict.name).toBe('ConflictError');
      const report = makeReport(`${p}-r`, incident.incidentId, execution.executionId);
      await ctx.store().recordTriageReport(report);
      const reportConflict = await expectConflict(ctx.store().recordTriageReport(report), report.reportId);
      expect(reportConflict.cause).not.toBeInstanceOf(StateStoreError);
    });

    it('ForeignKeyError: code FOREIGN_KEY, "failed to …" naming the record, the driver error as cause', async () => {
      const p = uniquePrefix('err-fk');
      const incident = await seedIncident(ctx.store(), `${p}-i`);
      const executionError = await expectForeignKey(ctx.store().recordAgentExecution(makeExecution(`${p}-e`, `${p}-missing`)), `${p}-e`);
      expect(executionError.name).toBe('ForeignKeyError');
      expect(executionError.cause).not.toBeInstanceOf(StateStoreError);
      await expectForeignKey(ctx.store().recordTriageReport(makeReport(`${p}-r`, incident.incidentId, `${p}-missing`)), `${p}-r`);
    });

    it('ValidationError: code VALIDATION, its class name, field and message naming the field', async () => {
      const p = uniquePrefix('err-validation');
      const event = makeEvent(`${p}-f`);
      const error = await expectValidation(ctx.store().createIncident(makeIncident(`${p}-i`, event, { cluster: '' }), event), 'incident.cluster');
      expect(error.name).toBe('ValidationError');
      expect(error.message).toContain('incident.cluster');
    });
  });
}
