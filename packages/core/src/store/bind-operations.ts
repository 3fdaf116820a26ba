import type { Kysely } from 'kysely';
import type { OperationOptions } from '../domain/types.js';
import { ValidationError } from '../errors/state-store-error.js';
import type { StateQueries } from '../query/state-queries.js';
import type { StorageSchema } from '../query/storage-schema.js';
import type { StateStoreOperations } from '../state-store.js';
import {
  checkInteger,
  checkNonEmptyString,
  checkOptionalString,
  checkStatus,
  validateAgentExecution,
  validateFaultEvent,
  validateIncident,
  validateIncidentFilters,
  validatePageFilters,
  validateTriageReport,
} from '../validation/validate-records.js';
import { checkDate } from '../validation/field-checks.js';
import type { OperationRunner, OperationSpec } from './operation-runner.js';
import { serialQueue, withSavepoint } from './transaction-support.js';

/** The data operations on `db` (the store's pool or one transaction), each run through `runner`. */
export function bindOperations(
  runner: OperationRunner,
  queries: StateQueries,
  db: Kysely<StorageSchema>,
  insideTransaction = false,
): StateStoreOperations {
  // Inside a transaction, calls take turns and each runs under its own savepoint: a failed or
  // abandoned call leaves nothing behind and the transaction usable, on every backend alike.
  const serialize = serialQueue();
  const run = <T>(spec: OperationSpec, options: OperationOptions | undefined, work: () => Promise<T>) =>
    insideTransaction
      ? runner.run({ ...spec, insideTransaction }, options, () => serialize(() => withSavepoint(db, work)))
      : runner.run(spec, options, work);

  // retryOnLostConnection marks reads and idempotent writes: they may run again after a lost
  // connection (the runner never reruns a call inside a transaction).
  return {
    createIncident: (incident, event, options) =>
      run(
        {
          action: () => `insert incident ${String(incident?.incidentId)}`,
          validate: () => {
            validateIncident(incident);
            validateFaultEvent(event);
            if (incident.faultId !== event.faultId) {
              throw new ValidationError(
                `invalid incident.faultId: ${incident.faultId} does not match event.faultId ${event.faultId}`,
                { field: 'incident.faultId' },
              );
            }
          },
        },
        options,
        () => queries.createIncident(db, incident, event),
      ),

    getFaultEvent: (faultId, options) =>
      run(
        { action: () => `get fault event ${String(faultId)}`, retryOnLostConnection: true, validate: () => checkNonEmptyString('faultId', faultId) },
        options,
        () => queries.getFaultEvent(db, faultId),
      ),

    updateIncidentStatus: (incidentId, status, startedAt, options) =>
      run(
        {
          action: () => `update status of incident ${String(incidentId)}`,
          retryOnLostConnection: true,
          validate: () => {
            checkNonEmptyString('incidentId', incidentId);
            checkStatus('status', status);
            if (startedAt !== undefined && startedAt !== null) checkDate('startedAt', startedAt);
          },
        },
        options,
        () => queries.updateIncidentStatus(db, incidentId, status, startedAt),
      ),

    completeIncident: (incidentId, exitCode, failureReason, options) =>
      run(
        {
          action: () => `complete incident ${String(incidentId)}`,
          validate: () => {
            checkNonEmptyString('incidentId', incidentId);
            checkInteger('exitCode', exitCode);
            checkOptionalString('failureReason', failureReason);
          },
        },
        options,
        () => queries.completeIncident(db, incidentId, exitCode, failureReason, new Date()),
      ),

    recordAgentExecution: (execution, options) =>
      run(
        {
          action: () => `record agent execution ${String(execution?.executionId)}`,
          retryOnLostConnection: true,
          validate: () => validateAgentExecution(execution),
        },
        options,
        () => queries.recordAgentExecution(db, execution),
      ),

    recordTriageReport: (report, options) =>
      run(
        { action: () => `insert triage report ${String(report?.reportId)}`, validate: () => validateTriageReport(report) },
        options,
        () => queries.recordTriageReport(db, report),
      ),

    getIncident: (incidentId, options) =>
      run(
        { action: () => `get incident ${String(incidentId)}`, retryOnLostConnection: true, validate: () => checkNonEmptyString('incidentId', incidentId) },
        options,
        () => queries.getIncident(db, incidentId),
      ),

    listIncidents: (filters, options) =>
      run(
        { action: 'list incidents', retryOnLostConnection: true, validate: () => validateIncidentFilters(filters) },
        options,
        () => queries.listIncidents(db, filters),
      ),

    pageIncidents: (filters, options) =>
      run(
        { action: 'page incidents', retryOnLostConnection: true, validate: () => validatePageFilters(filters) },
        options,
        () => queries.pageIncidents(db, filters),
      ),

    listAgentExecutions: (incidentId, options) =>
      run(
        {
          action: () => `list agent executions of incident ${String(incidentId)}`,
          retryOnLostConnection: true,
          validate: () => checkNonEmptyString('incidentId', incidentId),
        },
        options,
        () => queries.listAgentExecutions(db, incidentId),
      ),

    listTriageReports: (incidentId, options) =>
      run(
        {
          action: () => `list triage reports of incident ${String(incidentId)}`,
          retryOnLostConnection: true,
          validate: () => checkNonEmptyString('incidentId', incidentId),
        },
        options,
        () => queries.listTriageReports(db, incidentId),
      ),
  };
}
