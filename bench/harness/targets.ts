/** The limits on the median store ÷ raw time ratio, per operation group and engine family. */
export type TargetKey = 'createIncident' | 'getIncident' | 'recordAgentExecution' | 'list50';
export type EngineFamily = 'sqlite' | 'postgres' | 'mysql';

export const RATIO_TARGETS: Record<TargetKey, Record<EngineFamily, number>> = {
  // MySQL: the server-engine targets, the same as PostgreSQL's (a network round trip per statement on both).
  createIncident: { sqlite: 1.15, postgres: 1.2, mysql: 1.2 },
  getIncident: { sqlite: 1.3, postgres: 1.15, mysql: 1.15 },
  recordAgentExecution: { sqlite: 1.3, postgres: 1.3, mysql: 1.3 },
  list50: { sqlite: 1.25, postgres: 1.25, mysql: 1.25 },
};

export type Verdict = 'PASS' | 'MISS' | '—';

export function ratioTarget(key: TargetKey | undefined, family: EngineFamily): number | undefined {
  return key === undefined ? undefined : RATIO_TARGETS[key][family];
}

export function verdict(medianRatio: number, target: number | undefined): Verdict {
  if (target === undefined) return '—';
  return medianRatio <= target ? 'PASS' : 'MISS';
}
