const SECRET_KEY = /(^|_)token$|token_hint|secret|password|assertion|code_verifier|^code$|authorization|cookie/i;

/** Replaces a secret with its length only, so logs show that a value was present but nothing of it. */
export function mask(value: string): string {
  return `***(${value.length})`;
}

/** Header map with credentials masked (DEBUG_OPENID_REQUESTS). */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SECRET_KEY.test(k) ? mask(v) : v]));
}

/** Form or JSON body with every token, secret, password, code and assertion masked. */
export function maskBody(body: unknown): unknown {
  if (body instanceof URLSearchParams) {
    return Object.fromEntries([...body.entries()].map(([k, v]) => [k, SECRET_KEY.test(k) ? mask(v) : v]));
  }
  if (Array.isArray(body)) return body.map(maskBody);
  if (body && typeof body === 'object') {
    return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, SECRET_KEY.test(k) && typeof v === 'string' ? mask(v) : maskBody(v)]));
  }
  return body;
}

/** URL with secret-looking query parameters masked (authorization codes, tokens, hints). */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    for (const [k, v] of [...u.searchParams.entries()]) if (SECRET_KEY.test(k)) u.searchParams.set(k, mask(v));
    return u.href;
  } catch {
    return '<invalid url>';
  }
}
