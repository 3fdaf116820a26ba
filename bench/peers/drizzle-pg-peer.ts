import type { AgentExecution, FaultEvent, Incident, IncidentFilters } from '@nightcrier/storage-core';
import { desc, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { drizzleRows as rows, drizzleToDomain as toDomain, EXECUTION_UPDATE } from './drizzle-common.js';
import { placeholdersOf } from './drizzle-placeholders.js';
import { agentExecutions, faultEvents, incidents } from './drizzle-pg-schema.js';
import type { PeerTarget } from './peer-target.js';

/** Idiomatic Drizzle on node-postgres: the query builder per call, a transaction for createIncident. */
export class DrizzlePgPeer implements PeerTarget {
  private readonly db;

  constructor(private readonly pool: pg.Pool) {
    this.db = drizzle({ client: pool });
  }

  async createIncident(incident: Incident, event: FaultEvent): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.insert(faultEvents).values(rows.event(event)).onConflictDoNothing({ target: faultEvents.fault_id });
      await tx.insert(incidents).values(rows.incident(incident));
    });
  }

  async getIncident(incidentId: string): Promise<Incident> {
    const [row] = await this.db.select().from(incidents).where(eq(incidents.incident_id, incidentId)).limit(1);
    if (row === undefined) throw new Error(`incident ${incidentId} not found`);
    return toDomain.incident(row);
  }

  async recordAgentExecution(execution: AgentExecution): Promise<void> {
    await this.db.insert(agentExecutions).values(rows.execution(execution)).onConflictDoUpdate({ target: agentExecutions.execution_id, set: EXECUTION_UPDATE });
  }

  async listIncidents(filters: IncidentFilters = {}): Promise<Incident[]> {
    const where = filters.cluster === undefined ? undefined : eq(incidents.cluster, filters.cluster);
    const found = await this.db
      .select()
      .from(incidents)
      .where(where)
      .orderBy(desc(incidents.created_at), desc(incidents.incident_id))
      .limit(filters.limit ?? Number.MAX_SAFE_INTEGER);
    return found.map(toDomain.incident);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * Drizzle with every query `.prepare()`d once by name (a speed-minded user's choice): named
 * statements on node-postgres, parameters filled per call. Prepared queries cannot join a
 * transaction, so there is no createIncident.
 */
export class DrizzlePgPreparedPeer implements PeerTarget {
  private readonly selectIncident;
  private readonly upsertExecution;
  private readonly listByCluster;

  constructor(private readonly pool: pg.Pool) {
    const db = drizzle({ client: pool });
    this.selectIncident = db.select().from(incidents).where(eq(incidents.incident_id, sql.placeholder('id'))).limit(1).prepare('peer_get_incident');
    this.upsertExecution = db
      .insert(agentExecutions)
      .values(placeholdersOf(agentExecutions))
      .onConflictDoUpdate({ target: agentExecutions.execution_id, set: EXECUTION_UPDATE })
      .prepare('peer_upsert_execution');
    this.listByCluster = db
      .select()
      .from(incidents)
      .where(eq(incidents.cluster, sql.placeholder('cluster')))
      .orderBy(desc(incidents.created_at), desc(incidents.incident_id))
      .limit(sql.placeholder('limit'))
      .prepare('peer_list_by_cluster');
  }

  async getIncident(incidentId: string): Promise<Incident> {
    const [row] = await this.selectIncident.execute({ id: incidentId });
    if (row === undefined) throw new Error(`incident ${incidentId} not found`);
    return toDomain.incident(row);
  }

  async recordAgentExecution(execution: AgentExecution): Promise<void> {
    await this.upsertExecution.execute(rows.execution(execution));
  }

  async listIncidents(filters: IncidentFilters = {}): Promise<Incident[]> {
    const found = await this.listByCluster.execute({ cluster: filters.cluster, limit: filters.limit });
    return found.map(toDomain.incident);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
