import type { ServerResponse } from 'node:http';
import fastifyCookie from '@fastify/cookie';

/** A cookie's attributes; `maxAge` is in milliseconds (written as Max-Age in seconds, which browsers prefer to Expires). */
export interface CookieOptions {
  domain?: string;
  path?: string;
  expires?: Date;
  maxAge?: number;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'strict' | 'lax' | 'none';
}

/** A response Set-Cookie headers can be written to: Fastify's reply or the raw one beneath it. */
export type CookieWritable = { raw: ServerResponse } | ServerResponse;

export interface CookieToSet {
  name: string;
  value: string;
  options: CookieOptions;
}

export interface CookieToClear {
  name: string;
  options: CookieOptions;
}

/**
 * What a use case wants done with cookies, as a value: use cases decide, the controller layer
 * writes (`applyCookies`). Keeps the use cases free of Express and testable without HTTP.
 * Instructions are applied in the order they were given (Set-Cookie headers keep that order), so a
 * use case may clear a cookie and then set a fresh one under the same name.
 */
export class CookieInstructions {
  private readonly ops: Array<({ kind: 'set' } & CookieToSet) | ({ kind: 'clear' } & CookieToClear)> = [];

  get set(): CookieToSet[] {
    return this.ops.flatMap((o) => (o.kind === 'set' ? [{ name: o.name, value: o.value, options: o.options }] : []));
  }

  get clear(): CookieToClear[] {
    return this.ops.flatMap((o) => (o.kind === 'clear' ? [{ name: o.name, options: o.options }] : []));
  }

  setCookie(name: string, value: string, options: CookieOptions): this {
    this.ops.push({ kind: 'set', name, value, options });
    return this;
  }

  clearCookie(name: string, options: CookieOptions): this {
    this.ops.push({ kind: 'clear', name, options });
    return this;
  }

  /** Appends another set of instructions after these. */
  merge(other: CookieInstructions | undefined): this {
    if (other) this.ops.push(...other.ops);
    return this;
  }

  /** Applies every instruction, in order, through the two writers given. */
  replay(setCookie: (c: CookieToSet) => void, clearCookie: (c: CookieToClear) => void): void {
    for (const o of this.ops) {
      if (o.kind === 'set') setCookie(o);
      else clearCookie(o);
    }
  }

  /** Moves every instruction into a new set and leaves this one empty, so each is applied once. */
  splice(): CookieInstructions {
    const taken = new CookieInstructions();
    taken.ops.push(...this.ops.splice(0));
    return taken;
  }

  get empty(): boolean {
    return this.ops.length === 0;
  }
}

/** The request's parsed cookies (cookie-parser), as a plain record a use case can take. */
export type RequestCookies = Readonly<Record<string, unknown>>;

/**
 * The one place cookie instructions become Set-Cookie headers. They go onto the raw response, so
 * they survive any way the answer is sent: a handler's return value, a redirect, an error, or a
 * forwarded upstream stream. Every cookie gets path `/` unless told otherwise; a clearing cookie
 * is empty and expired at the epoch, with no Max-Age.
 */
export function applyCookies(res: CookieWritable, cookies: CookieInstructions | undefined): void {
  if (!cookies || cookies.empty) return;
  const raw = 'raw' in res ? res.raw : res;
  cookies.replay(
    (c) => raw.appendHeader('Set-Cookie', serializeCookie(c.name, c.value, c.options)),
    (c) => raw.appendHeader('Set-Cookie', serializeCookie(c.name, '', { ...c.options, expires: new Date(1), maxAge: undefined })),
  );
}

function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const { maxAge, ...rest } = options;
  return fastifyCookie.serialize(name, value, { path: '/', ...rest, ...(maxAge === undefined ? {} : { maxAge: Math.floor(maxAge / 1000) }) });
}
