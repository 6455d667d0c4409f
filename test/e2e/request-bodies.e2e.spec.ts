import { gzipSync } from 'node:zlib';
import type { RunningApp } from '../support/app.harness';
import { HttpClient } from '../support/http';
import { bearer, signUp, startAuthApp } from './auth/auth-helpers';

/** `{"email":"a@example.com","password":"x","n":[[[…]]]}` with `levels` nested arrays. */
function nested(levels: number): string {
  return `{"email":"deep@example.com","password":"x","n":${'['.repeat(levels)}${']'.repeat(levels)}}`;
}

describe('hostile request shapes (LG-05)', () => {
  let app: RunningApp;
  let http: HttpClient;
  let token: string;

  beforeAll(async () => {
    app = await startAuthApp({ BODY_LIMIT: '200kb' });
    http = new HttpClient(app.url);
    token = (await signUp(app, 'shapes@example.com')).token;
  });
  afterAll(() => app?.stop());

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('LG-05 upstream name %s is 404 UPSTREAM_NOT_FOUND, not 500', async (name) => {
    for (const path of [`/api/endpoints/${name}/x`, `/api/endpoints/${name}`, `/api/mcp/${name}/x`]) {
      const res = await http.get(path, bearer(token));
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 404, code: 'UPSTREAM_NOT_FOUND' });
    }
  });

  it('LG-05 JSON nested deeper than 64 levels is 400 BODY_TOO_DEEP before validation; 64 levels and brackets in strings pass', async () => {
    for (const levels of [65, 2_000, 90_000]) {
      const res = await http.post('/api/auth/login', { body: nested(levels), headers: { 'content-type': 'application/json' } });
      expect({ levels, status: res.status, body: res.body }).toEqual({ levels, status: 400, body: { message: expect.any(String), code: 'BODY_TOO_DEEP' } });
    }
    const shallow = await http.post('/api/auth/login', { body: nested(63), headers: { 'content-type': 'application/json' } });
    expect(shallow.body.code).not.toBe('BODY_TOO_DEEP');
    const inString = await http.post('/api/auth/login', { json: { email: 'deep@example.com', password: '\\"[{'.repeat(30) } });
    expect(inString.status).toBe(401);
  });

  it('LG-05 a body whose Content-Encoding is unsupported is 415, one that does not match it is 400; a real gzip body is read', async () => {
    const json = JSON.stringify({ email: 'shapes@example.com', password: 'wrong password' });
    const unsupported = await http.post('/api/auth/login', { body: json, headers: { 'content-type': 'application/json', 'content-encoding': 'compress' } });
    expect(unsupported.status).toBe(415);
    expect(unsupported.body.code).toBe('UNSUPPORTED_CONTENT_ENCODING');
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const mismatched = await http.post('/api/auth/login', { body: json, headers: { 'content-type': 'application/json', 'content-encoding': encoding } });
      expect({ encoding, status: mismatched.status, code: mismatched.body.code }).toEqual({ encoding, status: 400, code: 'INVALID_CONTENT_ENCODING' });
    }
    const gzipped = await http.post('/api/auth/login', { body: gzipSync(json), headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    expect(gzipped.status).toBe(401);
    expect(gzipped.body.code).toBe('INVALID_CREDENTIALS');
  });
});
