import type { FaultEvent } from '@nightcrier/storage-core';

/** Polls `check` until it holds or `timeoutMs` passed; the last answer is returned either way. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000, stepMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return check();
}

/** A complete fault event with every optional field set. */
export function faultEvent(faultId: string, cluster: string): FaultEvent {
  return {
    faultId,
    receivedAt: new Date(),
    subscriptionId: 'sub-1',
    cluster,
    resource: { apiVersion: 'v1', kind: 'Pod', name: `pod-${faultId}`, namespace: 'default' },
    faultType: 'CrashLoopBackOff',
    severity: 'high',
    context: 'back-off restarting failed container',
    timestamp: new Date().toISOString(),
  };
}
