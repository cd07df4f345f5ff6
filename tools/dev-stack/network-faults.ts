/**
 * Network misbehaviour on loopback, for fault tests and benchmarks: a proxy whose connections can
 * be cut, a server that accepts and never answers, a port with nothing listening.
 */
import { createServer, Socket, type Server } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Resets every proxied connection, as a NAT or RDS Proxy dropping it would. */
  dropConnections(): void;
  /**
   * Makes every proxied connection silently dead: nothing more is forwarded either way and
   * neither end gets a FIN or RST, as when a NAT forgets a connection or a peer vanishes. New
   * connections work.
   */
  silenceConnections(): void;
  close(): Promise<void>;
}

/** A TCP proxy to 127.0.0.1:`targetPort` whose connections a test can cut. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const server = createServer((client) => {
    const upstream = new Socket();
    track(client);
    track(upstream);
    const pair = { client, upstream };
    pairs.add(pair);
    client.on('close', () => pairs.delete(pair));
    upstream.connect(targetPort, '127.0.0.1');
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const port = await listen(server);
  return {
    port,
    dropConnections() {
      for (const socket of sockets) socket.resetAndDestroy();
    },
    silenceConnections() {
      for (const { client, upstream } of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        // The client's socket stays open and unread: what it sends is never answered.
        client.pause();
        upstream.pause();
      }
      pairs.clear();
    },
    close: () => closeServer(server, sockets),
  };
}

/** A server that accepts TCP connections and never says a word: a hung database. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  const port = await listen(server);
  return { port, close: () => closeServer(server, sockets) };
}

/** A port on 127.0.0.1 with nothing listening (it was free a moment ago). */
export async function findClosedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await closeServer(server, new Set());
  return port;
}

async function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

async function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}
