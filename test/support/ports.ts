import { createServer } from 'node:net';

/**
 * A currently free TCP port on 127.0.0.1, for peers whose URL must be known before they
 * start (e.g. the app's callback URL registered at the OP). The port is released before
 * returning, so another process could grab it in between; prefer listening on 0 where
 * the server can report its own port.
 */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
