import type { AgentExecution, FaultEvent, Incident, IncidentFilters } from '@nightcrier/storage-core';
import type { Kysely } from 'kysely';
import type { ExecutionRow, FaultEventRow, IncidentRow, RawRowMappers } from '../raw/raw-rows.js';
import type { PeerRows } from './peer-rows.js';
import type { PeerTarget } from './peer-target.js';

/**
 * The store's tables as a Kysely user would type them. Instants and JSON are `unknown` here: each
 * driver hands them over in its own encoding, which the peer's row builders and mappers know.
 */
export interface PeerDatabase {
  fault_events: FaultEventRow<unknown>;
  incidents: IncidentRow<unknown>;
  agent_executions: ExecutionRow<unknown, unknown>;
}

/**
 * Stock Kysely, as its documentation shows it: the query builder per call (`selectAll`, a
 * `transaction()` of two inserts), no compiled-query cache, the same row mappers as the raw side.
 */
export class KyselyPeer<T, J> implements PeerTarget {
  constructor(
    private readonly db: Kysely<PeerDatabase>,
    private readonly rows: PeerRows<T, J>,
    private readonly toDomain: RawRowMappers<T, J>,
  ) {}

  async createIncident(incident: Incident, event: FaultEvent): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('fault_events').values(this.rows.event(event)).onConflict((oc) => oc.column('fault_id').doNothing()).execute();
      await trx.insertInto('incidents').values(this.rows.incident(incident)).execute();
    });
  }

  async getIncident(incidentId: string): Promise<Incident> {
    const row = await this.db.selectFrom('incidents').selectAll().where('incident_id', '=', incidentId).executeTakeFirstOrThrow();
    return this.toDomain.incident(row as IncidentRow<T>); // the driver's instants are T
  }

  async recordAgentExecution(execution: AgentExecution): Promise<void> {
    await this.db
      .insertInto('agent_executions')
      .values(this.rows.execution(execution))
      .onConflict((oc) =>
        oc.column('execution_id').doUpdateSet((eb) => ({
          completed_at: eb.ref('excluded.completed_at'),
          exit_code: eb.ref('excluded.exit_code'),
          error_message: eb.ref('excluded.error_message'),
          log_paths: eb.ref('excluded.log_paths'),
        })),
      )
      .execute();
  }

  async listIncidents(filters: IncidentFilters = {}): Promise<Incident[]> {
    let query = this.db.selectFrom('incidents').selectAll().orderBy('created_at', 'desc').orderBy('incident_id', 'desc');
    if (filters.cluster !== undefined) query = query.where('cluster', '=', filters.cluster);
    if (filters.limit !== undefined && filters.limit > 0) query = query.limit(filters.limit);
    const rows = await query.execute();
    return rows.map((row) => this.toDomain.incident(row as IncidentRow<T>));
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
