export interface SetCookie {
  name: string;
  value: string;
  path?: string;
  domain?: string;
  expires?: Date;
  maxAge?: number;
  httpOnly: boolean;
  secure: boolean;
  sameSite?: string;
  /** The header line as received. */
  raw: string;
}

export function parseSetCookie(raw: string): SetCookie {
  const [pair, ...attributes] = raw.split(';');
  const eq = pair.indexOf('=');
  const cookie: SetCookie = {
    name: (eq >= 0 ? pair.slice(0, eq) : pair).trim(),
    value: eq >= 0 ? pair.slice(eq + 1).trim() : '',
    httpOnly: false,
    secure: false,
    raw,
  };
  for (const attribute of attributes) {
    const [key, ...rest] = attribute.split('=');
    const value = rest.join('=').trim();
    switch (key.trim().toLowerCase()) {
      case 'path':
        cookie.path = value;
        break;
      case 'domain':
        cookie.domain = value;
        break;
      case 'expires': {
        const date = new Date(value);
        if (!Number.isNaN(date.getTime())) cookie.expires = date;
        break;
      }
      case 'max-age':
        if (/^-?\d+$/.test(value)) cookie.maxAge = Number(value);
        break;
      case 'httponly':
        cookie.httpOnly = true;
        break;
      case 'secure':
        cookie.secure = true;
        break;
      case 'samesite':
        cookie.sameSite = value;
        break;
    }
  }
  return cookie;
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expiresAt?: number;
}

/** RFC 6265 §5.1.4 default-path: the request path up to (not including) its last slash. */
function defaultPath(requestPath: string): string {
  const path = requestPath.split('?')[0];
  if (!path.startsWith('/') || path.lastIndexOf('/') === 0) return '/';
  return path.slice(0, path.lastIndexOf('/'));
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  const path = requestPath.split('?')[0] || '/';
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}

/**
 * Cookies of one origin. Keyed by name and path, because oidc-provider scopes its
 * interaction cookies to /interaction/<uid> and /auth/<uid> while the session cookie
 * lives at /. Domain is ignored: one jar per host:port. Secure cookies are sent over
 * plain http, as browsers do for loopback.
 */
export class CookieJar {
  private cookies: StoredCookie[] = [];

  /** Applies a Set-Cookie (string or parsed); Max-Age<=0 or a past Expires deletes. */
  store(setCookie: string | SetCookie, requestPath = '/'): void {
    const parsed = typeof setCookie === 'string' ? parseSetCookie(setCookie) : setCookie;
    const path = parsed.path?.startsWith('/') ? parsed.path : defaultPath(requestPath);
    let expiresAt: number | undefined;
    if (parsed.maxAge !== undefined) expiresAt = Date.now() + parsed.maxAge * 1000;
    else if (parsed.expires) expiresAt = parsed.expires.getTime();
    this.cookies = this.cookies.filter((c) => !(c.name === parsed.name && c.path === path));
    if (expiresAt !== undefined && expiresAt <= Date.now()) return;
    this.cookies.push({ name: parsed.name, value: parsed.value, path, expiresAt });
  }

  /** Value of the most recently stored live cookie with this name, whatever its path. */
  get(name: string): string | undefined {
    return this.live()
      .filter((c) => c.name === name)
      .at(-1)?.value;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  set(name: string, value: string, path = '/'): void {
    this.store({ name, value, path, httpOnly: false, secure: false, raw: `${name}=${value}` });
  }

  delete(name: string): void {
    this.cookies = this.cookies.filter((c) => c.name !== name);
  }

  clear(): void {
    this.cookies = [];
  }

  /** Live cookies as name → value (later paths win on name clashes). */
  toObject(): Record<string, string> {
    return Object.fromEntries(this.live().map((c) => [c.name, c.value]));
  }

  /** The Cookie request header for a path, most specific path first (RFC 6265 §5.4). */
  header(requestPath = '/'): string | undefined {
    const matching = this.live()
      .filter((c) => pathMatches(requestPath, c.path))
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  private live(): StoredCookie[] {
    const now = Date.now();
    this.cookies = this.cookies.filter((c) => c.expiresAt === undefined || c.expiresAt > now);
    return this.cookies;
  }
}
