import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CookieJar, parseSetCookie } from '../support/http/cookie-jar';
import { HttpClient } from '../support/http/http-client';

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function serve(routes: Record<string, Route>): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const route = routes[`${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`];
      if (!route) return res.writeHead(404).end('not found');
      route(req, res, Buffer.concat(chunks).toString());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const echo: Route = (req, res, body) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ method: req.method, path: req.url, cookie: req.headers.cookie ?? null, contentType: req.headers['content-type'] ?? null, body }));
};
const redirect =
  (status: number, location: string, cookies: string[] = []): Route =>
  (_req, res) => {
    res.writeHead(status, { location, 'set-cookie': cookies }).end();
  };

describe('HttpClient harness', () => {
  let a: Awaited<ReturnType<typeof serve>>;
  let b: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    b = await serve({ 'GET /echo': echo, 'GET /set': redirect(302, '/echo', ['b_only=1; Path=/']) });
    a = await serve({
      'GET /echo': echo,
      'POST /echo': echo,
      'GET /app/echo': echo,
      'GET /text': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('hello'),
      'GET /login': (_req, res) => {
        res
          .writeHead(204, {
            'set-cookie': [
              'sid=abc123; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600',
              `pref=dark; Path=/app; Secure; SameSite=Strict; Expires=${new Date(Date.now() + 86_400_000).toUTCString()}`,
            ],
          })
          .end();
      },
      'GET /logout': redirect(302, '/echo', ['sid=; Path=/; Max-Age=0']),
      'GET /forget-pref': (_req, res) => res.writeHead(204, { 'set-cookie': 'pref=; Path=/app; Expires=Thu, 01 Jan 1970 00:00:00 GMT' }).end(),
      'GET /hop': redirect(302, '/echo', ['hop=1; Path=/']),
      'POST /see-other': redirect(303, '/echo'),
      'POST /temporary': redirect(307, '/echo'),
      'GET /loop': redirect(302, '/loop'),
      'GET /cross': redirect(302, `${b.url}/set`),
      'GET /external': redirect(302, 'https://example.com/landing'),
    });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('parses Set-Cookie attributes and stores cookies', async () => {
    const http = new HttpClient(a.url);
    const res = await http.get('/login');
    expect(res.status).toBe(204);
    const [sid, pref] = res.setCookies;
    expect(sid).toMatchObject({ name: 'sid', value: 'abc123', path: '/', httpOnly: true, secure: false, sameSite: 'Lax', maxAge: 3600 });
    expect(pref).toMatchObject({ name: 'pref', value: 'dark', path: '/app', httpOnly: false, secure: true, sameSite: 'Strict' });
    expect(pref.expires?.getTime()).toBeGreaterThan(Date.now());
    expect(http.jar.get('sid')).toBe('abc123');
    expect(http.jar.toObject()).toEqual({ sid: 'abc123', pref: 'dark' });
  });

  it('sends cookies back, honouring their paths', async () => {
    const http = new HttpClient(a.url);
    await http.get('/login');
    expect((await http.get('/echo')).body.cookie).toBe('sid=abc123');
    expect((await http.get('/app/echo')).body.cookie).toBe('pref=dark; sid=abc123');
    http.jar.set('manual', 'x');
    expect((await http.get('/echo')).body.cookie).toBe('sid=abc123; manual=x');
    http.jar.clear();
    expect((await http.get('/echo')).body.cookie).toBeNull();
  });

  it('deletes cookies on Max-Age=0 and past Expires', async () => {
    const http = new HttpClient(a.url);
    await http.get('/login');
    await http.get('/forget-pref');
    expect(http.jar.get('pref')).toBeUndefined();
    const res = await http.get('/logout');
    expect(res.setCookies[0]).toMatchObject({ name: 'sid', value: '', maxAge: 0 });
    expect(http.jar.get('sid')).toBeUndefined();
  });

  it('reports redirects without following them by default', async () => {
    const http = new HttpClient(a.url);
    const res = await http.get('/hop');
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${a.url}/echo`);
    expect(res.redirects).toEqual([]);
    expect(http.jar.get('hop')).toBe('1');
  });

  it('follows a bounded number of redirects, rewriting methods like a browser', async () => {
    const http = new HttpClient(a.url, { followRedirects: 5 });
    const followed = await http.get('/hop');
    expect(followed.status).toBe(200);
    expect(followed.body.cookie).toBe('hop=1');
    expect(followed.redirects).toEqual([{ status: 302, url: `${a.url}/hop`, location: `${a.url}/echo` }]);

    const seeOther = await http.post('/see-other', { form: { a: '1' } });
    expect(seeOther.body).toMatchObject({ method: 'GET', body: '' });
    const temporary = await http.post('/temporary', { json: { a: 1 } });
    expect(temporary.body).toMatchObject({ method: 'POST', body: '{"a":1}', contentType: 'application/json' });

    const loop = await http.get('/loop');
    expect(loop.status).toBe(302);
    expect(loop.redirects).toHaveLength(5);
    expect((await http.get('/hop', { followRedirects: 0 })).status).toBe(302);
  });

  it('keeps cookies per host:port across loopback hosts and never leaves loopback', async () => {
    const http = new HttpClient(a.url, { followRedirects: 3 });
    const res = await http.get('/cross');
    expect(res.url).toBe(`${b.url}/echo`);
    expect(res.body.cookie).toBe('b_only=1');
    expect(http.jarFor(b.url).get('b_only')).toBe('1');
    expect(http.jar.get('b_only')).toBeUndefined();

    const external = await http.get('/external');
    expect(external.status).toBe(302);
    expect(external.location).toBe('https://example.com/landing');
  });

  it('parses JSON bodies, leaves other content as text and encodes forms', async () => {
    const http = new HttpClient(a.url);
    expect((await http.get('/text')).body).toBe('hello');
    const posted = await http.post('/echo', { form: { user: 'a b', x: '1' }, headers: { 'x-test': '1' } });
    expect(posted.body).toMatchObject({ body: 'user=a+b&x=1', contentType: 'application/x-www-form-urlencoded' });
    expect((await http.get('/missing')).status).toBe(404);
  });
});

describe('CookieJar', () => {
  it('applies the RFC 6265 default path and keeps same-named cookies per path', () => {
    const jar = new CookieJar();
    jar.store('a=1', '/interaction/abc');
    jar.store('a=2; Path=/auth/abc');
    expect(jar.header('/interaction/def')).toBe('a=1');
    expect(jar.header('/auth/abc')).toBe('a=2');
    expect(jar.header('/')).toBeUndefined();
    expect(parseSetCookie('n=v=w; Domain=127.0.0.1')).toMatchObject({ name: 'n', value: 'v=w', domain: '127.0.0.1' });
  });
});
