import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '../common/clock';
import type { SamlConfig, SessionConfig } from '../config';
import type { KeyValueStore } from '../storage';
import { SAML_REQUEST_TTL_MS, SamlRequestStore } from './saml-request.store';

class MovableClock extends Clock {
  at = new Date('2031-01-01T00:00:00Z');
  now(): Date {
    return new Date(this.at);
  }
  move(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

/** The one key-value operation the store uses, with expiry decided by the caller's `now`. */
function memoryKv(): KeyValueStore {
  const entries = new Map<string, number>();
  return {
    setIfAbsent: (key: string, _value: string, ttlMs: number, now: Date) => {
      const expiresAt = entries.get(key);
      if (expiresAt !== undefined && expiresAt > now.getTime()) return Promise.resolve(false);
      entries.set(key, now.getTime() + ttlMs);
      return Promise.resolve(true);
    },
  } as unknown as KeyValueStore;
}

/** A browser: keeps what the store sets and clears (its Set-Cookie headers), and sends it back. */
function browser() {
  const jar: Record<string, string> = {};
  const options: Record<string, Record<string, unknown>> = {};
  const raw = {
    appendHeader: (header: string, line: string) => {
      expect(header).toBe('Set-Cookie');
      const [pair, ...attributes] = line.split('; ');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), decodeURIComponent(pair.slice(pair.indexOf('=') + 1))];
      const opts: Record<string, unknown> = {};
      for (const attribute of attributes) {
        const [key, val] = attribute.split('=');
        if (key === 'HttpOnly') opts.httpOnly = true;
        else if (key === 'Secure') opts.secure = true;
        else if (key === 'SameSite') opts.sameSite = val.toLowerCase();
        else if (key === 'Path') opts.path = val;
        else if (key === 'Expires') opts.expires = new Date(val);
      }
      if (opts.secure === undefined) opts.secure = false;
      if ((opts.expires as Date | undefined)?.getTime() === 0) delete jar[name];
      else jar[name] = value;
      options[name] = opts;
    },
  };
  const res = { raw } as unknown as FastifyReply;
  const req = () => ({ cookies: { ...jar } }) as unknown as FastifyRequest;
  return { jar, options, res, req };
}

describe('SamlRequestStore', () => {
  const settings = { sessionSecret: 'test-secret-test-secret-test-secret-123' } as SamlConfig;
  const insecure = { cookieSecure: false } as SessionConfig;
  let clock: MovableClock;
  let store: SamlRequestStore;

  beforeEach(() => {
    clock = new MovableClock();
    store = new SamlRequestStore(settings, insecure, memoryKv(), clock);
  });

  it('SA-04 accepts the request ID of this browser once, and nothing else', async () => {
    const b = browser();
    const id = store.begin(b.req(), b.res);
    expect(id).toMatch(/^_[0-9a-f]{48}$/);
    const held = b.req();
    expect(await store.consume(b.req(), b.res, '_someone-else')).toBe(false);
    expect(await store.consume(held, b.res, id)).toBe(true);
    // SA-08: the same cookie presented again.
    expect(await store.consume(held, b.res, id)).toBe(false);
  });

  it('SA-04 a request older than the TTL is refused (clock moved, not slept)', async () => {
    const b = browser();
    const id = store.begin(b.req(), b.res);
    clock.move(SAML_REQUEST_TTL_MS + 1);
    expect(await store.consume(b.req(), b.res, id)).toBe(false);
  });

  it('SA-05 another browser without the cookie, or with a forged one, is refused', async () => {
    const a = browser();
    const id = store.begin(a.req(), a.res);
    const other = browser();
    expect(await store.consume(other.req(), other.res, id)).toBe(false);
    const [name, value] = Object.entries(a.jar)[0];
    const forged = { cookies: { [name]: `${value.slice(0, -4)}AAAA` } } as unknown as FastifyRequest;
    expect(await store.consume(forged, other.res, id)).toBe(false);
    // A cookie sealed under another secret does not open either.
    const elsewhere = new SamlRequestStore({ sessionSecret: 'another-secret-another-secret-another-1' } as SamlConfig, insecure, memoryKv(), clock);
    expect(await elsewhere.consume(a.req(), a.res, id)).toBe(false);
  });

  it('SA-05 the cookie is SameSite=None; Secure over HTTPS (the cross-site form post), Lax over plain HTTP', () => {
    const plain = browser();
    store.begin(plain.req(), plain.res);
    expect(Object.values(plain.options)[0]).toMatchObject({ httpOnly: true, sameSite: 'lax', secure: false, path: '/oauth/saml' });
    const https = browser();
    new SamlRequestStore(settings, { cookieSecure: true } as SessionConfig, memoryKv(), clock).begin(https.req(), https.res);
    expect(Object.values(https.options)[0]).toMatchObject({ httpOnly: true, sameSite: 'none', secure: true, path: '/oauth/saml' });
  });

  it('keeps at most four open attempts per browser, dropping the oldest', () => {
    const b = browser();
    for (let i = 0; i < 6; i++) {
      store.begin(b.req(), b.res);
      clock.move(1_000);
    }
    expect(Object.keys(b.jar)).toHaveLength(4);
  });
});
