import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../../src/sessions';
import { IdpTokenVault, OneTimeTokenRepository, SessionRepository, UserRepository } from '../../../src/storage';
import type { RunningApp } from '../../support/app.harness';
import { HttpClient } from '../../support/http';
import { bearer, signIn, signUp, startAuthApp } from './auth-helpers';

/** LibreChat's GET /api/user projection (docs/librechat-differences.md#http-api); nothing outside it may appear. */
const LIBRECHAT_USER_FIELDS = [
  '_id',
  'id',
  'name',
  'username',
  'email',
  'emailVerified',
  'avatar',
  'provider',
  'role',
  'plugins',
  'twoFactorEnabled',
  'termsAccepted',
  'personalization',
  'favorites',
  'skillStates',
  'createdAt',
  'updatedAt',
  'tenantId',
];

describe('GET /api/user', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAuthApp();
  });
  afterAll(() => app.stop());

  it("returns LibreChat's user fields and never the password", async () => {
    await signUp(app, 'admin@example.com');
    const ada = await signUp(app, 'ada@example.com');
    const res = await ada.http.get('/api/user', bearer(ada.token));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      _id: ada.user.id,
      id: ada.user.id,
      email: 'ada@example.com',
      name: 'Test User',
      username: null,
      role: 'USER',
      provider: 'local',
      emailVerified: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(res.body.createdAt))).toBe(false);
    expect(Object.keys(res.body).filter((k) => !LIBRECHAT_USER_FIELDS.includes(k))).toEqual([]);
    expect(res.text).not.toMatch(/password|\$2[aby]\$|totpSecret|backupCodes/);
  });
});

describe('DELETE /api/user/delete', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAuthApp();
    await signUp(app, 'admin@example.com');
  });
  afterAll(() => app.stop());

  it('removes the user with its sessions, one-time tokens and IdP tokens', async () => {
    const ada = await signUp(app, 'ada@example.com');
    const second = await signIn(app, 'ada@example.com');
    const [users, sessions, tokens, vault] = [UserRepository, SessionRepository, OneTimeTokenRepository, IdpTokenVault].map((t) => app.app.get(t)) as [
      UserRepository,
      SessionRepository,
      OneTimeTokenRepository,
      IdpTokenVault,
    ];
    const now = new Date();
    await tokens.create({
      userId: ada.user.id,
      email: 'ada@example.com',
      type: 'verify',
      tokenHash: sha256Hex(randomBytes(16).toString('hex')),
      expiresAt: new Date(now.getTime() + 60_000),
    });
    await vault.save(ada.user.id, 'openid', { accessToken: 'at', idToken: 'it', refreshToken: 'rt', expiresAt: null, scope: null }, now);
    expect(await sessions.listByUser(ada.user.id, now)).toHaveLength(2);

    const res = await ada.http.delete('/api/user/delete', bearer(ada.token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'User deleted' });

    expect(await users.findById(ada.user.id)).toBeNull();
    expect(await users.findByEmail('ada@example.com')).toBeNull();
    expect(await sessions.listByUser(ada.user.id, new Date())).toHaveLength(0);
    expect(await tokens.find({ userId: ada.user.id }, new Date())).toHaveLength(0);
    expect(await vault.load(ada.user.id, 'openid')).toBeNull();
    expect((await second.http.post('/api/auth/refresh')).status).toBe(401);
    expect((await second.http.get('/api/user', bearer(second.token))).status).toBe(401);
    // The address is free again.
    expect((await signUp(app, 'ada@example.com')).user.id).not.toBe(ada.user.id);
  });

  it('needs a bearer token', async () => {
    const res = await new HttpClient(app.url).delete('/api/user/delete');
    expect(res.status).toBe(401);
  });
});

describe('DELETE /api/user/delete with ALLOW_ACCOUNT_DELETION=false', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startAuthApp({ ALLOW_ACCOUNT_DELETION: 'false' });
  });
  afterAll(() => app.stop());

  it('answers 403 ACCOUNT_DELETION_DISABLED to a USER and keeps the account; an ADMIN may still delete', async () => {
    const admin = await signUp(app, 'admin@example.com');
    const user = await signUp(app, 'user@example.com');
    expect([admin.user.role, user.user.role]).toEqual(['ADMIN', 'USER']);

    const refused = await user.http.delete('/api/user/delete', bearer(user.token));
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ message: expect.any(String), code: 'ACCOUNT_DELETION_DISABLED' });
    expect(await app.app.get(UserRepository).findById(user.user.id)).not.toBeNull();
    expect((await user.http.post('/api/auth/refresh')).status).toBe(200);

    const allowed = await admin.http.delete('/api/user/delete', bearer(admin.token));
    expect(allowed.status).toBe(200);
    expect(await app.app.get(UserRepository).findById(admin.user.id)).toBeNull();
  });
});
