import { expect } from 'vitest';
import { newIncidentFromEvent, OperationTimeoutError, type StateStore } from '@nightcrier/storage-core';
import { faultEvent } from './fixtures.js';
import { TcpProxy } from './tcp-proxy.js';

export interface CutOffTransactionScenario {
  /** For the log line. */
  name: string;
  /** The server the proxy forwards to. */
  server: { host: string; port: number };
  /** Opens a store whose connections go to `port` on 127.0.0.1 (the proxy) instead of the server. */
  open(port: number): Promise<StateStore>;
  /** Opens a store that talks to the server directly: the neighbour that needs the rows. */
  openDirect(): Promise<StateStore>;
}

/**
 * A transaction takes a row lock, then its network goes silent (a NAT or a load balancer that lost
 * the connection's state: the server never sees the client leave). The call times out and the store
 * drops the connection; once the network heals, the store must end the server's side of it too, or
 * the abandoned session keeps its lock and every writer of that row waits behind it for hours.
 * Asserts a neighbour's write of the same row succeeds soon after the heal, the cut-off
 * transaction's own write never became visible, and the row ends as the neighbour wrote it.
 */
export async function expectCutOffTransactionToReleaseItsLocks(scenario: CutOffTransactionScenario): Promise<void> {
  const proxy = await TcpProxy.start(scenario.server);
  const id = `cut-off-${Math.random().toString(36).slice(2, 10)}`;
  const stores: StateStore[] = [];
  try {
    const [store, neighbour] = await Promise.all([scenario.open(proxy.port), scenario.openDirect()]);
    stores.push(store, neighbour);
    const event = faultEvent(`${id}-fault`, 'cut-off');
    await neighbour.createIncident(newIncidentFromEvent(id, event), event);

    const cutOff = store.transaction(
      async (tx) => {
        await tx.updateIncidentStatus(id, 'failed', new Date());
        proxy.cut();
        await tx.getIncident(id); // never answered
      },
      { timeoutMs: 1000 },
    );
    await expect(cutOff).rejects.toBeInstanceOf(OperationTimeoutError);
    proxy.heal();
    const healedAt = Date.now();
    // Uncommitted, so invisible to everyone else whatever happens to the abandoned session.
    expect((await neighbour.getIncident(id)).status).toBe('investigating');

    await neighbour.updateIncidentStatus(id, 'resolved', new Date(), { timeoutMs: 30_000 });
    const releasedMs = Date.now() - healedAt;
    expect((await neighbour.getIncident(id)).status).toBe('resolved');
    console.log(`${scenario.name}: the row lock of the cut-off transaction was released ${releasedMs} ms after the heal`);
    // Bounded by one attempt blocked by the cut (5 s) and the backoff, with room for a loaded machine.
    expect(releasedMs).toBeLessThan(20_000);
  } finally {
    await Promise.all(stores.map((store) => store.close().catch(() => undefined)));
    await proxy.close();
  }
}
