import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that a test controls, to play a network that drops connection state
 * without telling anyone (a NAT, a firewall, a cloud load balancer):
 *
 * - `forward`: every connection is relayed to the target;
 * - `cut()`: every existing connection stops relaying in both directions but stays open (the
 *   kernel still acknowledges, so TCP keepalive sees nothing wrong), and new connections are
 *   accepted and then black-holed: nothing is relayed, nothing is closed;
 * - `heal()`: new connections are relayed again; the connections cut stay dead, as after a NAT
 *   lost their state.
 */
export class TcpProxy {
  private mode: 'forward' | 'cut' = 'forward';
  private readonly sockets = new Set<Socket>();
  /** Connections accepted so far, and how many of them were black-holed. */
  readonly counts = { accepted: 0, blackHoled: 0 };

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const relays = new Set<{ frozen: boolean }>();
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => {
      const self = proxy as TcpProxy;
      self.counts.accepted += 1;
      self.track(client);
      if (self.mode === 'cut') {
        self.counts.blackHoled += 1;
        client.on('data', () => undefined); // read and drop
        return;
      }
      const relay = { frozen: false };
      relays.add(relay);
      const upstream = connect(target.port, target.host);
      self.track(upstream);
      const pipe = (from: Socket, to: Socket) => {
        from.on('data', (chunk) => {
          if (!relay.frozen) to.write(chunk);
        });
        from.on('end', () => {
          if (!relay.frozen) to.end();
        });
        from.on('error', () => to.destroy());
      };
      pipe(client, upstream);
      pipe(upstream, client);
      self.freezers.push(() => {
        relay.frozen = true;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    proxy = new TcpProxy(server, typeof address === 'object' && address !== null ? address.port : 0);
    return proxy;
  }

  private readonly freezers: Array<() => void> = [];

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Existing connections go silent; new ones are black-holed. */
  cut(): void {
    this.mode = 'cut';
    for (const freeze of this.freezers.splice(0)) freeze();
  }

  /** New connections are relayed again. */
  heal(): void {
    this.mode = 'forward';
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
