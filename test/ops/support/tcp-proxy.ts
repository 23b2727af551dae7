/**
 * A TCP proxy on 127.0.0.1 that forwards to a target (the local PostgreSQL) and can be cut and
 * restored, to simulate a database outage or restart without touching the real server: `cut`
 * destroys every open connection and stops listening, so new connections are refused
 * (ECONNREFUSED, as from a stopped PostgreSQL) until `restore` listens on the same port again.
 */
import net from 'node:net';

/** A cuttable loopback TCP proxy. */
export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private refusing = false;

  private constructor(
    private readonly server: net.Server,
    /** The port clients connect to. */
    readonly port: number,
  ) {}

  /** Starts a proxy to `targetHost:targetPort` on an ephemeral loopback port. */
  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = net.createServer((client) => proxy?.accept(client, targetHost, targetPort));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    proxy = new TcpProxy(server, (server.address() as net.AddressInfo).port);
    return proxy;
  }

  /** Connections currently forwarded (client and upstream sockets). */
  get openSockets(): number {
    return this.sockets.size;
  }

  /** Drops every connection at once (as a crashed or restarting server would) and refuses new ones. */
  cut(): void {
    if (this.refusing) return;
    this.refusing = true;
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  /** Listens on the same port and forwards connections again. */
  async restore(): Promise<void> {
    if (!this.refusing) return;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.refusing = false;
  }

  /** Cuts everything and stops listening. */
  async close(): Promise<void> {
    const listening = this.server.listening;
    this.cut();
    if (listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket, host: string, port: number): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(port, host);
    const pair = [client, upstream];
    for (const socket of pair) {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      // Either side ending or failing tears down both, like a real connection loss.
      socket.on('error', () => pair.forEach((s) => s.destroy()));
      socket.on('close', () => {
        this.sockets.delete(socket);
        pair.forEach((s) => s.destroy());
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
