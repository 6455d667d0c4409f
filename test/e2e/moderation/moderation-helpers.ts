import type { Env } from '../../../src/config';
import type { RunningApp } from '../../support/app.harness';
import { startRedis, type RedisServerHandle } from '../../support/redis/redis-server.harness';
import { ownServerSkipReason } from '../../support/redis/redis-target';
import { HttpClient, type HttpResponse } from '../../support/http';
import { PASSWORD, startAuthApp, type SignedInClient } from '../auth/auth-helpers';

/**
 * Moderation suites set their own limits (the harness relaxes them for everyone else) and trust
 * one proxy hop, so each test can speak from its own client address via X-Forwarded-For.
 */
export function startModeratedApp(env: Env = {}): Promise<RunningApp> {
  appCount += 1;
  return startAuthApp({
    ...storeEnv,
    // Each app its own key space on the shared Redis, unless a test shares one on purpose.
    ...(storeEnv.REDIS_URI ? { REDIS_KEY_PREFIX: `gatehouse-mod-${process.pid}-${appCount}:` } : {}),
    TRUST_PROXY: '1',
    LOGIN_MAX: '7',
    LOGIN_WINDOW: '5',
    REGISTER_MAX: '5',
    REGISTER_WINDOW: '60',
    LOGIN_FAILURE_DELAY_AFTER: '0',
    ...env,
  });
}

let counter = 0;
let appCount = 0;
/** A documentation-range address no other test uses. */
export function freshIp(): string {
  counter += 1;
  return `198.51.100.${(counter % 250) + 1}`;
}

export function from(ip: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'x-forwarded-for': ip, ...extra };
}

export function loginFrom(http: HttpClient, ip: string, email: string, password = PASSWORD): Promise<HttpResponse> {
  return http.post('/api/auth/login', { json: { email, password }, headers: from(ip) });
}

export function registerFrom(http: HttpClient, ip: string, email: string): Promise<HttpResponse> {
  return http.post('/api/auth/register', { json: { name: 'Test User', email, password: PASSWORD, confirm_password: PASSWORD }, headers: from(ip) });
}

export function expectBanned(res: HttpResponse): void {
  expect(res.status).toBe(403);
  expect(res.body).toMatchObject({ code: 'BANNED', message: 'Your account has been temporarily banned due to violations of our service.' });
  expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
}

/** signUp/signIn from auth-helpers, each from a fresh address so test set-up never meets a limit. */
export async function signUpFresh(app: RunningApp, email: string): Promise<SignedInClient> {
  const reg = await registerFrom(new HttpClient(app.url), freshIp(), email);
  if (reg.status !== 200) throw new Error(`register ${email}: ${reg.status} ${reg.text}`);
  return signInFresh(app, email);
}

export async function signInFresh(app: RunningApp, email: string): Promise<SignedInClient> {
  const http = new HttpClient(app.url);
  const res = await loginFrom(http, freshIp(), email);
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.text}`);
  return { http, token: res.body.token, user: res.body.user, refreshToken: http.jar.get('refreshToken') ?? '' };
}

/** Where counters, scores and bans live for the apps the next suite starts. */
let storeEnv: Env = {};

/**
 * Runs a moderation suite twice: on the primary store, and on a private redis-server (as
 * several instances would share it). Without redis-server the Redis run is a visible skip.
 */
export function describeForEachStore(title: string, body: () => void): void {
  describe(`${title} — primary store`, () => {
    beforeAll(() => {
      storeEnv = {};
    });
    body();
  });
  const skip = ownServerSkipReason();
  if (skip) {
    describe(`${title} — Redis`, () => it.skip(`skipped: ${skip}`, () => undefined));
    return;
  }
  describe(`${title} — Redis`, () => {
    let redis: RedisServerHandle;
    beforeAll(async () => {
      redis = await startRedis();
      storeEnv = { USE_REDIS: 'true', REDIS_URI: redis.uri };
    });
    afterAll(async () => {
      storeEnv = {};
      await redis?.stop();
    });
    body();
  });
}

/** The CLI sees the same stores as the app: its data directory, and its Redis when it has one. */
export function cliEnvFor(app: RunningApp): Record<string, string> {
  const { redisUri, redisKeyPrefix } = app.config.storage;
  return {
    DATA_DIR: app.dataDir,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ...(redisUri ? { USE_REDIS: 'true', REDIS_URI: redisUri, REDIS_KEY_PREFIX: redisKeyPrefix } : {}),
  };
}
