import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserRepository } from '../../../src/storage';
import { browserLogin, CLIENT_ORIGIN, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

interface ImageHost {
  url: string;
  hits: string[];
  stop(): Promise<void>;
}

/** An image host on loopback: each path answers what one test case needs. */
async function startImageHost(routes: Record<string, (res: http.ServerResponse) => void>): Promise<ImageHost> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const route = routes[req.url ?? ''];
    if (route) route(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const account = (accountId: string, picture: string) => ({
  accountId,
  claims: { email: `${accountId}@example.test`, email_verified: true, preferred_username: accountId, picture },
});

// OPENID_AVATAR_AUTHORIZED_ORIGINS lists one image host; another host stands for everything else
// (an internal address an attacker would point `picture` at). The real provider releases `picture`.
describe('OpenID avatar import (OPENID_AVATAR_AUTHORIZED_ORIGINS)', () => {
  let stack: OpenIdStack;
  let allowed: ImageHost;
  let forbidden: ImageHost;
  let users: UserRepository;
  const avatar = async (name: string) => (await users.findByEmail(`${name}@example.test`))?.avatar ?? null;

  beforeAll(async () => {
    forbidden = await startImageHost({ '/secret.png': (res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG) });
    allowed = await startImageHost({
      '/ok.png': (res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
      '/moved.png': (res) => res.writeHead(302, { location: '/ok.png' }).end(),
      '/away.png': (res) => res.writeHead(302, { location: `${forbidden.url}/secret.png` }).end(),
      '/huge.png': (res) => res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.concat([PNG, Buffer.alloc(300 * 1024)])),
      '/page.html': (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<script>alert(1)</script>'),
      '/fake.png': (res) => res.writeHead(200, { 'content-type': 'image/png' }).end('<svg onload="alert(1)"/>'),
    });
    stack = await startOpenIdStack({
      accounts: [
        account('ok', `${allowed.url}/ok.png`),
        account('moved', `${allowed.url}/moved.png`),
        account('other', `${forbidden.url}/secret.png`),
        account('away', `${allowed.url}/away.png`),
        account('huge', `${allowed.url}/huge.png`),
        account('html', `${allowed.url}/page.html`),
        account('fake', `${allowed.url}/fake.png`),
      ],
      env: { OPENID_AVATAR_AUTHORIZED_ORIGINS: allowed.url },
    });
    users = stack.app.app.get(UserRepository);
  });
  afterAll(async () => {
    await stack?.stop();
    await allowed?.stop();
    await forbidden?.stop();
  });

  async function signIn(name: string) {
    const { callback } = await browserLogin(stack, { login: name });
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
  }

  it('AV-01 a picture on a listed origin is imported as a data: URL the client can load, never hot-linked', async () => {
    await signIn('ok');
    expect(await avatar('ok')).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    await signIn('moved');
    expect(await avatar('moved')).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
  });

  it('AV-02 a picture on another origin is not fetched at all; the sign-in goes on without an avatar', async () => {
    await signIn('other');
    expect(await avatar('other')).toBeNull();
    expect(forbidden.hits).toEqual([]);
  });

  it('AV-03 a redirect off the list is not followed', async () => {
    await signIn('away');
    expect(await avatar('away')).toBeNull();
    expect(allowed.hits).toContain('/away.png');
    expect(forbidden.hits).toEqual([]);
  });

  it('AV-04 an oversized image, a non-image type, or bytes that are not the declared image are refused', async () => {
    for (const name of ['huge', 'html', 'fake']) {
      await signIn(name);
      expect(await avatar(name)).toBeNull();
    }
  });
});
