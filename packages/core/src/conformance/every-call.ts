import type { OperationOptions } from '../domain/types.js';
import type { StateStoreOperations } from '../state-store.js';
import type { OperationName } from '../store/operation-definition.js';
import { OPERATION_NAMES } from '../store/state-operations.js';
import { makeEvent, makeExecution, makeIncident, makeReport } from './fixtures.js';

/**
 * One valid call of each data method, against an incident `${p}-inc` with its execution `${p}-exe`
 * (see `seedExecution`), writing only ids nobody used. Typed against the store's operation table:
 * a data method without an entry here fails to compile, so no section can forget it.
 */
const CALLS: { [K in OperationName]: (store: StateStoreOperations, p: string, options?: OperationOptions) => Promise<unknown> } = {
  createIncident: (store, p, options) => {
    const event = makeEvent(`${p}-new-f`);
    return store.createIncident(makeIncident(`${p}-new`, event), event, options);
  },
  getFaultEvent: (store, p, options) => store.getFaultEvent(`${p}-inc-f`, options),
  updateIncidentStatus: (store, p, options) => store.updateIncidentStatus(`${p}-inc`, 'resolved', new Date(), options),
  completeIncident: (store, p, options) => store.completeIncident(`${p}-inc`, 1, 'cancelled?', options),
  recordAgentExecution: (store, p, options) => store.recordAgentExecution(makeExecution(`${p}-new-e`, `${p}-inc`), options),
  recordTriageReport: (store, p, options) => store.recordTriageReport(makeReport(`${p}-new-r`, `${p}-inc`, `${p}-exe`), options),
  getIncident: (store, p, options) => store.getIncident(`${p}-inc`, options),
  listIncidents: (store, p, options) => store.listIncidents({ cluster: p }, options),
  pageIncidents: (store, p, options) => store.pageIncidents({ cluster: p, limit: 1 }, options),
  listAgentExecutions: (store, p, options) => store.listAgentExecutions(`${p}-inc`, options),
  listTriageReports: (store, p, options) => store.listTriageReports(`${p}-inc`, options),
};

/** Every data method's name, in the operation table's order. */
export const DATA_METHODS: readonly OperationName[] = OPERATION_NAMES;

/** Every data method as a named call (see CALLS), for the sections that check each one. */
export function everyDataCall(store: StateStoreOperations, p: string, options?: OperationOptions): Array<[OperationName, () => Promise<unknown>]> {
  return DATA_METHODS.map((name) => [name, () => CALLS[name](store, p, options)]);
}
