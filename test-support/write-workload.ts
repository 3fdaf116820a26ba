import type { FaultEvent, OperationOptions, StateStore, StateStoreError } from '@nightcrier/storage-core';
import { newIncidentFromEvent } from '@nightcrier/storage-core';

/** What one createIncident call of a workload reported. */
export interface CallOutcome {
  incidentId: string;
  startedAt: number;
  endedAt: number;
  ok: boolean;
  code?: string;
  outcomeUnknown?: boolean;
  message?: string;
}

export interface WriterOptions {
  workers: number;
  /** Ids and the cluster start with it, so the test can find exactly its own rows. */
  prefix: string;
  /** Writers stop starting calls once this returns true. */
  done: () => boolean;
  options?: OperationOptions;
  /** Pause between a worker's calls, so a fault test does not spin while the network is down. */
  pauseMs?: number;
}

function eventFor(id: string, cluster: string): FaultEvent {
  return {
    faultId: `${id}-f`,
    receivedAt: new Date(),
    subscriptionId: 'sub',
    cluster,
    faultType: 'CrashLoopBackOff',
    severity: 'high',
    context: 'fault workload',
    timestamp: new Date().toISOString(),
  };
}

/** `workers` loops of createIncident with fresh ids until `done()`, every outcome recorded. */
export async function runWriters(store: StateStore, { workers, prefix, done, options, pauseMs = 0 }: WriterOptions): Promise<CallOutcome[]> {
  const outcomes: CallOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (!done()) {
      const incidentId = `${prefix}-${(next += 1)}`;
      const event = eventFor(incidentId, prefix);
      const startedAt = Date.now();
      try {
        await store.createIncident(newIncidentFromEvent(incidentId, event), event, options);
        outcomes.push({ incidentId, startedAt, endedAt: Date.now(), ok: true });
      } catch (error) {
        const failure = error as StateStoreError;
        outcomes.push({ incidentId, startedAt, endedAt: Date.now(), ok: false, code: failure.code, outcomeUnknown: failure.outcomeUnknown, message: failure.message });
      }
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}

/** How honest the outcomes were, given the ids the database really holds. */
export function checkHonesty(outcomes: readonly CallOutcome[], stored: ReadonlySet<string>) {
  const acknowledged = outcomes.filter((outcome) => outcome.ok);
  return {
    calls: outcomes.length,
    acknowledged: acknowledged.length,
    /** Reported stored, but absent: a lost acknowledged write. */
    lost: acknowledged.filter((outcome) => !stored.has(outcome.incidentId)).map((outcome) => outcome.incidentId),
    /** Reported failed without the outcome-unknown flag, yet stored. */
    misreported: outcomes.filter((outcome) => !outcome.ok && outcome.outcomeUnknown !== true && stored.has(outcome.incidentId)).map((o) => o),
    unknown: outcomes.filter((outcome) => !outcome.ok && outcome.outcomeUnknown === true).length,
    /** Every failure code seen, with its count. */
    failures: outcomes.filter((outcome) => !outcome.ok).reduce<Record<string, number>>((counts, outcome) => {
      const key = `${outcome.code}${outcome.outcomeUnknown === true ? ' (outcome unknown)' : ''}`;
      counts[key] = (counts[key] ?? 0) + 1;
      return counts;
    }, {}),
  };
}
