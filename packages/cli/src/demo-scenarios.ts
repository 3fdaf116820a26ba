import { randomBytes, randomUUID } from 'node:crypto';
import type { FaultEvent, ResourceInfo } from '@nightcrier/storage-core';

/** One kind of fault the demo simulates, with what the agent finds (or how it fails). */
export interface DemoScenario {
  cluster: string;
  namespace?: string;
  kind: 'Pod' | 'Node';
  /** Deployment name for pods (a replica-set hash is added), node name for nodes. */
  workload: string;
  faultType: string;
  severity: 'critical' | 'high' | 'warning';
  reason: string;
  message: (resourceName: string) => string;
  extra: Record<string, unknown>;
  agent:
    | { outcome: 'resolved'; summary: string; evidence: string[]; rootCause: string; actions: string[] }
    | { outcome: 'failed'; exitCode: number; errorMessage: string };
}

export const DEMO_SCENARIOS: readonly DemoScenario[] = [
  {
    cluster: 'prod-eu-west-1',
    namespace: 'payments',
    kind: 'Pod',
    workload: 'checkout-api',
    faultType: 'CrashLoopBackOff',
    severity: 'critical',
    reason: 'BackOff',
    message: (pod) => `Back-off restarting failed container checkout-api in pod ${pod}`,
    extra: { container: 'checkout-api', restartCount: 7, lastState: { terminated: { exitCode: 1, reason: 'Error' } } },
    agent: {
      outcome: 'resolved',
      summary:
        'checkout-api exits during start-up because it cannot reach its PostgreSQL primary: the `DATABASE_HOST` ' +
        'in ConfigMap `checkout-api-config` still points at the instance retired in last night\'s failover.',
      evidence: [
        '`kubectl describe pod` shows `Last State: Terminated (Error, exit code 1)` and 7 restarts in 12 minutes',
        'container logs end with `Error: connect ECONNREFUSED 10.40.12.7:5432` from the connection pool',
        '`kubectl get configmap checkout-api-config -o yaml` has `DATABASE_HOST: pg-payments-0.db.internal`',
        'the failover runbook entry at 02:14 UTC promoted `pg-payments-1`',
      ],
      rootCause: 'Stale database host in the ConfigMap after a manual failover; the Deployment was never rolled.',
      actions: [
        'Point `DATABASE_HOST` at the `pg-payments-rw` service instead of a single instance',
        'Run `kubectl rollout restart deployment/checkout-api -n payments`',
        'Add the ConfigMap update to the failover runbook',
      ],
    },
  },
  {
    cluster: 'prod-us-east-1',
    namespace: 'data-pipeline',
    kind: 'Pod',
    workload: 'etl-worker',
    faultType: 'OOMKilled',
    severity: 'high',
    reason: 'OOMKilled',
    message: (pod) => `Container etl-worker in pod ${pod} was killed: memory limit 512Mi exceeded`,
    extra: { container: 'etl-worker', restartCount: 3, limits: { memory: '512Mi' }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } },
    agent: {
      outcome: 'resolved',
      summary:
        'etl-worker is killed by the kernel OOM killer while loading the nightly `orders` partition, which grew ' +
        'from 1.2 GB to 3.4 GB after the marketplace launch; the 512Mi limit no longer fits the batch.',
      evidence: [
        '`kubectl get pod -o jsonpath={.status.containerStatuses[0].lastState}` reports `OOMKilled`, exit code 137',
        'container memory peaked at 511Mi in the last three runs (metrics-server)',
        'job logs show the crash right after `loading partition orders/2024-05-31 (3.4 GB)`',
      ],
      rootCause: 'Memory limit sized for last quarter\'s data volume; the worker reads a whole partition into memory.',
      actions: [
        'Raise the memory limit of `etl-worker` to 2Gi as a stop-gap',
        'Stream the partition in 100k-row chunks instead of loading it whole',
        'Alert on container memory above 80% of its limit',
      ],
    },
  },
  {
    cluster: 'staging-eu-central-1',
    namespace: 'storefront',
    kind: 'Pod',
    workload: 'storefront-web',
    faultType: 'ImagePullBackOff',
    severity: 'warning',
    reason: 'BackOff',
    message: (pod) => `Back-off pulling image "registry.example.com/storefront/web:4.18.0-rc.2" for pod ${pod}`,
    extra: { container: 'web', image: 'registry.example.com/storefront/web:4.18.0-rc.2', waiting: { reason: 'ImagePullBackOff' } },
    agent: {
      outcome: 'failed',
      exitCode: 1,
      errorMessage: 'agent exited with code 1: kubectl get events timed out after 30s (context deadline exceeded)',
    },
  },
  {
    cluster: 'prod-eu-west-1',
    kind: 'Node',
    workload: 'ip-10-40-3-17.eu-west-1.compute.internal',
    faultType: 'NodeNotReady',
    severity: 'critical',
    reason: 'NodeNotReady',
    message: (node) => `Node ${node} status is now: NodeNotReady`,
    extra: { conditions: { Ready: 'Unknown', DiskPressure: 'True' }, taints: ['node.kubernetes.io/unreachable:NoExecute'] },
    agent: {
      outcome: 'resolved',
      summary: 'The kubelet on the node stopped posting status after the root volume filled up with container logs.',
      evidence: [
        '`kubectl describe node` shows `DiskPressure=True` 6 minutes before `Ready=Unknown`',
        'the node\'s `/var/log/pods` holds 41 GB, most of it from one debug-level sidecar',
      ],
      rootCause: 'Unbounded log volume from a sidecar running at debug level; log rotation limits were not set.',
      actions: [
        'Cordon and drain the node, then replace it',
        'Set `containerLogMaxSize` and `containerLogMaxFiles` in the kubelet configuration',
        'Turn the sidecar back to `info` level',
      ],
    },
  },
];

const ALPHANUMERIC = 'bcdfghjklmnpqrstvwxz2456789';

function randomSuffix(length: number): string {
  return [...randomBytes(length)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
}

/** A fresh id with a readable prefix: `inc-4f1c…`. Unique, so the demo can run again on the same database. */
export function demoId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** RFC 3339 in seconds, as a cluster reports event times. */
function clusterTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The fault event a cluster subscription would deliver for `scenario`, observed at `now`. */
export function demoFaultEvent(scenario: DemoScenario, now: Date): FaultEvent {
  const name = scenario.kind === 'Pod' ? `${scenario.workload}-${randomSuffix(10)}-${randomSuffix(5)}` : scenario.workload;
  const resource: ResourceInfo = { apiVersion: 'v1', kind: scenario.kind, name, uid: randomUUID() };
  if (scenario.namespace !== undefined) resource.namespace = scenario.namespace;
  const happenedAt = new Date(now.getTime() - 45_000);
  return {
    faultId: demoId('flt'),
    receivedAt: now,
    subscriptionId: `sub-${scenario.cluster}`,
    cluster: scenario.cluster,
    resource,
    faultType: scenario.faultType,
    severity: scenario.severity,
    context: JSON.stringify({ reason: scenario.reason, message: scenario.message(name), ...scenario.extra }),
    timestamp: clusterTimestamp(happenedAt),
  };
}

/** The markdown triage report of a resolved scenario. */
export function demoReportMarkdown(
  incidentId: string,
  event: FaultEvent,
  agent: Extract<DemoScenario['agent'], { outcome: 'resolved' }>,
): string {
  const target = event.resource === undefined ? event.cluster : `${event.resource.kind} ${event.resource.namespace ?? ''}${event.resource.namespace === undefined ? '' : '/'}${event.resource.name}`;
  return [
    `# Triage report: ${event.faultType} on ${target}`,
    '',
    `| | |`,
    `| --- | --- |`,
    `| Incident | \`${incidentId}\` |`,
    `| Cluster | \`${event.cluster}\` |`,
    `| Severity | ${event.severity} |`,
    `| Fault observed | ${event.timestamp} |`,
    '',
    '## Summary',
    '',
    agent.summary,
    '',
    '## Evidence',
    '',
    ...agent.evidence.map((line) => `- ${line}`),
    '',
    '## Root cause',
    '',
    agent.rootCause,
    '',
    '## Recommended actions',
    '',
    ...agent.actions.map((line, index) => `${index + 1}. ${line}`),
    '',
  ].join('\n');
}

/** Where the agent of an execution wrote its logs. */
export function demoLogPaths(incidentId: string, executionId: string): Record<string, string> {
  const dir = `/var/lib/nightcrier/incidents/${incidentId}/${executionId}`;
  return { agent: `${dir}/agent.log`, transcript: `${dir}/transcript.jsonl`, kubectl: `${dir}/kubectl.log` };
}
