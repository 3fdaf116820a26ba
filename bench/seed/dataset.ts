import { join } from 'node:path';
import type { IncidentStatus } from '@nightcrier/storage-core';
import { DATA_DIR } from '../harness/paths.js';

/**
 * The scale dataset, defined as pure integer arithmetic on the incident number i (1…N) so that the
 * SQLite seeder (JavaScript) and the PostgreSQL seeder (SQL over generate_series) store the very
 * same rows: 20 clusters, five statuses, createdAt over 30 days, one fault event per incident.
 */
export const SEED_INCIDENTS = 1_000_000;
export const SEED_SQLITE_FILE = join(DATA_DIR, 'seed-1m.db');
export const SEED_POSTGRES_DB = 'nc_bench_1m';

export const CLUSTERS = 20;
export const BASE_MS = Date.UTC(2025, 5, 1);
export const SPAN_MS = 30 * 86_400_000;
export const STATUSES: readonly IncidentStatus[] = ['pending', 'investigating', 'resolved', 'failed', 'agent_failed'];
export const FAULT_TYPES = ['CrashLoopBackOff', 'OOMKilled', 'ImagePullBackOff', 'NodeNotReady', 'PodPending', 'Evicted'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const HASH_MULTIPLIER = 2654435761;

/** createdAt step between consecutive incidents, so that N incidents span SPAN_MS. */
export function stepMs(count: number): number {
  return Math.floor(SPAN_MS / count);
}

/** A multiplicative hash of i (exact in doubles: i × multiplier < 2^53). */
export function seedHash(i: number): number {
  return (i * HASH_MULTIPLIER) % 4294967296;
}

export const pad7 = (n: number) => String(n).padStart(7, '0');

export function clusterName(index: number): string {
  return `cluster-${String(index).padStart(2, '0')}`;
}

export interface SeedRow {
  incidentId: string;
  faultId: string;
  status: IncidentStatus;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  exitCode: number | null;
  failureReason: string | null;
  cluster: string;
  namespace: string;
  podName: string;
  uid: string;
  faultType: string;
  severity: string;
  context: string;
  timestamp: string;
  receivedAt: number;
  subscriptionId: string;
}

/** Incident number i of a dataset of `count` incidents. The SQL in seed-postgres.ts mirrors this. */
export function seedRow(i: number, count: number): SeedRow {
  const h = seedHash(i);
  const status = STATUSES[Math.floor(h / 20) % 5]!;
  const createdAt = BASE_MS + i * stepMs(count) + (h % 2000);
  const finished = status === 'resolved' || status === 'failed' || status === 'agent_failed';
  const namespace = `ns-${Math.floor(h / 100) % 50}`;
  const faultType = FAULT_TYPES[Math.floor(h / 5000) % 6]!;
  const podName = `pod-${pad7(i)}`;
  return {
    incidentId: `inc-${pad7(i)}`,
    faultId: `flt-${pad7(i)}`,
    status,
    createdAt,
    startedAt: status === 'pending' ? null : createdAt + 1000,
    completedAt: finished ? createdAt + 60_000 + (h % 100_000) : null,
    exitCode: status === 'resolved' ? 0 : status === 'failed' ? 1 : null,
    failureReason: status === 'failed' ? 'agent exited with status 1' : status === 'agent_failed' ? 'agent crashed' : null,
    cluster: clusterName(h % CLUSTERS),
    namespace,
    podName,
    uid: `uid-${pad7(i)}`,
    faultType,
    severity: SEVERITIES[Math.floor(h / 30_000) % 4]!,
    context: `${faultType} on ${podName} in ${namespace}: back-off restarting failed container`,
    timestamp: new Date(createdAt - 500).toISOString(),
    receivedAt: createdAt - 200,
    subscriptionId: `sub-${h % 3}`,
  };
}

/** How many of `count` incidents belong to `cluster` (to check a full walk). */
export function clusterSize(cluster: string, count: number): number {
  let matches = 0;
  for (let i = 1; i <= count; i += 1) if (clusterName(seedHash(i) % CLUSTERS) === cluster) matches += 1;
  return matches;
}
