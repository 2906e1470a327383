import net from 'node:net';

// WebAuthn needs a valid RP ID, and browsers refuse an IP address such as 127.0.0.1. The server
// derives its RP ID and origin from PUBLIC_URL, which must name the port the browser uses; but
// startServer() picks its port itself. A relay on a port known beforehand solves both: start the
// relay, start the server with PUBLIC_URL=http://localhost:<relay port>, then point the relay at it.

export interface LocalhostRelay {
  /** http://localhost:<port>: the address the browser opens and PUBLIC_URL names. */
  url: string;
  target(port: number): void;
  close(): Promise<void>;
}

export async function startLocalhostRelay(): Promise<LocalhostRelay> {
  let targetPort: number | null = null;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (targetPort === null) return client.destroy();
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      // A reset on one side ends the other; the browser simply retries.
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no TCP address');
  return {
    url: `http://localhost:${address.port}`,
    target(port) {
      targetPort = port;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
