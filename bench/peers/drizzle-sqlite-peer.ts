import type { AgentExecution, FaultEvent, Incident, IncidentFilters } from '@nightcrier/storage-core';
import type BetterSqlite3 from 'better-sqlite3';
import { desc, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { drizzleRows as rows, drizzleToDomain as toDomain, EXECUTION_UPDATE } from './drizzle-common.js';
import { placeholdersOf } from './drizzle-placeholders.js';
import { agentExecutions, faultEvents, incidents } from './drizzle-sqlite-schema.js';
import type { PeerTarget } from './peer-target.js';

/** Idiomatic Drizzle on better-sqlite3: the query builder per call, `transaction(…, { behavior: 'immediate' })`. */
export class DrizzleSqlitePeer implements PeerTarget {
  private readonly db;

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    this.db = drizzle({ client: sqlite });
  }

  async createIncident(incident: Incident, event: FaultEvent): Promise<void> {
    this.db.transaction(
      (tx) => {
        tx.insert(faultEvents).values(rows.event(event)).onConflictDoNothing({ target: faultEvents.fault_id }).run();
        tx.insert(incidents).values(rows.incident(incident)).run();
      },
      { behavior: 'immediate' },
    );
  }

  async getIncident(incidentId: string): Promise<Incident> {
    const row = this.db.select().from(incidents).where(eq(incidents.incident_id, incidentId)).get();
    if (row === undefined) throw new Error(`incident ${incidentId} not found`);
    return toDomain.incident(row);
  }

  async recordAgentExecution(execution: AgentExecution): Promise<void> {
    this.db.insert(agentExecutions).values(rows.execution(execution)).onConflictDoUpdate({ target: agentExecutions.execution_id, set: EXECUTION_UPDATE }).run();
  }

  async listIncidents(filters: IncidentFilters = {}): Promise<Incident[]> {
    const where = filters.cluster === undefined ? undefined : eq(incidents.cluster, filters.cluster);
    const found = this.db
      .select()
      .from(incidents)
      .where(where)
      .orderBy(desc(incidents.created_at), desc(incidents.incident_id))
      .limit(filters.limit ?? -1)
      .all();
    return found.map(toDomain.incident);
  }

  async close(): Promise<void> {
    this.sqlite.close();
  }
}

/**
 * Drizzle with every query `.prepare()`d once (better-sqlite3 statements kept by Drizzle). No
 * createIncident: a prepared insert hands NULL to the `timestamp_ms` column's encoder, which throws
 * (drizzle-orm 0.45.4), so an incident without startedAt cannot go through a prepared insert.
 */
export class DrizzleSqlitePreparedPeer implements PeerTarget {
  private readonly selectIncident;
  private readonly upsertExecution;
  private readonly listByCluster;

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    const db = drizzle({ client: sqlite });
    this.selectIncident = db.select().from(incidents).where(eq(incidents.incident_id, sql.placeholder('id'))).prepare();
    this.upsertExecution = db
      .insert(agentExecutions)
      .values(placeholdersOf(agentExecutions))
      .onConflictDoUpdate({ target: agentExecutions.execution_id, set: EXECUTION_UPDATE })
      .prepare();
    this.listByCluster = db
      .select()
      .from(incidents)
      .where(eq(incidents.cluster, sql.placeholder('cluster')))
      .orderBy(desc(incidents.created_at), desc(incidents.incident_id))
      .limit(sql.placeholder('limit'))
      .prepare();
  }

  async getIncident(incidentId: string): Promise<Incident> {
    const row = this.selectIncident.get({ id: incidentId });
    if (row === undefined) throw new Error(`incident ${incidentId} not found`);
    return toDomain.incident(row);
  }

  async recordAgentExecution(execution: AgentExecution): Promise<void> {
    this.upsertExecution.run(rows.execution(execution));
  }

  async listIncidents(filters: IncidentFilters = {}): Promise<Incident[]> {
    return this.listByCluster.all({ cluster: filters.cluster, limit: filters.limit }).map(toDomain.incident);
  }

  async close(): Promise<void> {
    this.sqlite.close();
  }
}
