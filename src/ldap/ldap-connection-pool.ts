import { Client } from 'ldapts';

/**
 * Idle directory connections, per server URL, kept for the next sign-in: a sign-in then costs the
 * directory its three operations (service bind, search, user bind) without a new TCP connection,
 * TLS handshake or StartTLS each time. A connection is used by one sign-in at a time (a bind
 * changes who the connection is, so binds must not interleave), and every sign-in starts with the
 * service bind, so whoever the previous sign-in left the connection bound as does not matter.
 *
 * A connection the server dropped while idle fails on its first operation; the caller then
 * discards it and opens a fresh one (`discard`). At most `maxIdle` connections are kept per URL;
 * more concurrent sign-ins open more, and the extra ones are closed when they finish.
 */
export class LdapConnectionPool {
  private readonly idle = new Map<string, Client[]>();
  private closed = false;

  constructor(
    private readonly maxIdle: number,
    private readonly open: (url: string) => Promise<Client>,
  ) {}

  /** An idle connection of `url`, if one is kept. */
  take(url: string): Client | null {
    return this.idle.get(url)?.pop() ?? null;
  }

  /** A new, ready connection (TLS and StartTLS done). */
  create(url: string): Promise<Client> {
    return this.open(url);
  }

  /** Back to the pool after a sign-in that got an answer from the server. */
  async release(url: string, client: Client): Promise<void> {
    const list = this.idle.get(url) ?? [];
    if (this.closed || list.length >= this.maxIdle || !client.isConnected) return this.discard(client);
    list.push(client);
    this.idle.set(url, list);
  }

  /** Closed for good (transport failure, or more than the pool keeps). */
  async discard(client: Client): Promise<void> {
    await client.unbind().catch(() => undefined);
  }

  /** At shutdown: every idle connection is closed; connections in use are closed when released. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all(all.map((client) => this.discard(client)));
  }

  /** Idle connections kept (for tests and diagnostics). */
  size(): number {
    return [...this.idle.values()].reduce((n, list) => n + list.length, 0);
  }
}
