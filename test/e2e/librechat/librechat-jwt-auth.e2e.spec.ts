import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import * as jwt from 'jsonwebtoken';
import passport from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import { UserRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { signUp, startAuthApp } from '../auth/auth-helpers';

const JWT_SECRET = 'j'.repeat(64);
const JWT_REFRESH_SECRET = 'r'.repeat(64);

/**
 * LibreChat's API server next to Gatehouse: its `requireJwtAuth` is passport-jwt with exactly
 * these options (bearer header, JWT_SECRET, no audience or issuer check) and a verify callback that
 * loads the user by `payload.id` from the shared users collection (here: Gatehouse's own store,
 * which is that collection). Gatehouse's access tokens must pass it (MB-19).
 */
function libreChatApi(users: UserRepository): express.Express {
  const strategy = new JwtStrategy(
    { jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: JWT_SECRET },
    (payload: { id?: string }, done: (err: unknown, user?: unknown) => void) => {
      users.findById(String(payload?.id)).then(
        (user) => done(null, user ? { ...user, password: undefined } : false),
        (err: unknown) => done(err),
      );
    },
  );
  const auth = new passport.Passport();
  auth.use('jwt', strategy);
  const api = express();
  api.use(auth.initialize());
  api.get('/api/user', auth.authenticate('jwt', { session: false }), (req, res) => {
    res.json({ id: (req.user as { id: string }).id, email: (req.user as { email: string }).email });
  });
  return api;
}

describe('LibreChat API server beside Gatehouse', () => {
  let app: RunningApp;
  let server: Server;
  let apiUrl: string;

  beforeAll(async () => {
    app = await startAuthApp({ JWT_SECRET, JWT_REFRESH_SECRET });
    server = libreChatApi(app.app.get(UserRepository)).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await app?.stop();
  });

  const callApi = (token: string) => fetch(`${apiUrl}/api/user`, { headers: { authorization: `Bearer ${token}` } });

  it("MB-19 LibreChat's requireJwtAuth (passport-jwt, JWT_SECRET, user by payload.id) accepts a Gatehouse access token", async () => {
    const client = await signUp(app, 'shared@example.com');
    const payload = jwt.decode(client.token) as Record<string, unknown>;
    expect(typeof payload.id).toBe('string');
    const res = await callApi(client.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: payload.id, email: 'shared@example.com' });
  });

  it('MB-19 and refuses what it must: a Gatehouse refresh token, another secret, an unknown user', async () => {
    const client = await signUp(app, 'other@example.com');
    expect((await callApi(client.refreshToken)).status).toBe(401);
    const payload = jwt.decode(client.token) as Record<string, unknown>;
    expect((await callApi(jwt.sign({ ...payload }, 'x'.repeat(64)))).status).toBe(401);
    expect((await callApi(jwt.sign({ ...payload, id: '0123456789abcdef01234567' }, JWT_SECRET))).status).toBe(401);
  });
});
