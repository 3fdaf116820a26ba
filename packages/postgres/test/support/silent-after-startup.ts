import { connect, createServer, type Server, type Socket } from 'node:net';

/** ReadyForQuery ('Z', length 5): the server finished the startup and authentication. */
const READY_FOR_QUERY = Buffer.from([0x5a, 0, 0, 0, 5]);

/**
 * A relay on 127.0.0.1 in front of a real server that plays a host going silent after
 * authentication: the startup is relayed both ways, then the first `passQueries` client writes
 * (one simple-protocol query each), and from then on nothing the client sends reaches the server,
 * and nothing is closed (not even in answer to the client's FIN). The server waits for a query, the client for an answer, as behind a
 * network that dropped the connection's state right after the login.
 */
export class SilentAfterStartup {
  /** Connections accepted; client writes dropped once silent; clients that let go (FIN or close). */
  readonly counts = { accepted: 0, dropped: 0, clientsGone: 0 };
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    /** Where the relay listens (127.0.0.1). */
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }, passQueries: number): Promise<SilentAfterStartup> {
    let self: SilentAfterStartup | undefined;
    // Half-open allowed: a client's FIN (its polite end) gets no FIN back, as from a dead peer.
    const server = createServer({ allowHalfOpen: true }, (client) => {
      const relay = self as SilentAfterStartup;
      relay.counts.accepted += 1;
      relay.track(client);
      let gone = false;
      const letGo = () => {
        if (!gone) relay.counts.clientsGone += 1;
        gone = true;
      };
      client.on('end', letGo);
      client.on('close', letGo);
      const upstream = connect(target.port, target.host);
      relay.track(upstream);
      let ready = false;
      let passed = 0;
      upstream.on('data', (chunk: Buffer) => {
        if (chunk.includes(READY_FOR_QUERY)) ready = true;
        client.write(chunk);
      });
      client.on('data', (chunk: Buffer) => {
        if (!ready) upstream.write(chunk);
        else if (passed < passQueries) {
          passed += 1;
          upstream.write(chunk);
        } else relay.counts.dropped += 1;
      });
      client.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    self = new SilentAfterStartup(server, typeof address === 'object' && address !== null ? address.port : 0);
    return self;
  }

  private track(socket: Socket): void {
    // Unref'd: process.getActiveResourcesInfo() then counts the clients' sockets only.
    socket.unref();
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
