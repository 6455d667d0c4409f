import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { API_DOCS_CSP } from '../../../src/app.factory';
import { CommonErrors, declaredErrors } from '../../../src/common/errors';
import { type RunningApp, startApp } from '../../support/app.harness';
import { ApiContract, registerContract } from '../../support/contract/api-contract';
import { HttpClient } from '../../support/http';

const VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version;
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head', 'search'];
type Operation = {
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown>; 'x-error-codes'?: string[] }>;
  security?: unknown[];
};

function operations(document: OpenAPIObject): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([p, item]) =>
    Object.entries(item as Record<string, Operation>)
      .filter(([m]) => METHODS.includes(m))
      .map(([m, op]) => [`${m.toUpperCase()} ${p}`, op] as [string, Operation]),
  );
}

const productionSecrets = () => ({
  NODE_ENV: 'production',
  JWT_SECRET: randomBytes(32).toString('hex'),
  JWT_REFRESH_SECRET: randomBytes(32).toString('hex'),
  CREDS_KEY: randomBytes(32).toString('hex'),
  CREDS_IV: randomBytes(16).toString('hex'),
  OPENID_SESSION_SECRET: randomBytes(32).toString('hex'),
});

describe('the OpenAPI document (GET /api/docs-json)', () => {
  let app: RunningApp;
  let document: OpenAPIObject;
  beforeAll(async () => {
    app = await startApp();
    document = (await new HttpClient(app.url).get<OpenAPIObject>('/api/docs-json')).body;
  });
  afterAll(() => app.stop());

  it("carries the service version from package.json (docs/changelog.md names each version's changes)", () => {
    expect(document.info.version).toBe(VERSION);
    expect(fs.readFileSync(path.join(__dirname, '../../../docs/changelog.md'), 'utf8')).toContain(`## ${VERSION}`);
  });

  it('at least 95 % of operations describe their success body (or redirect) and list error responses with codes', () => {
    const all = operations(document);
    const described = all.filter(([, op]) => {
      const success = Object.entries(op.responses).find(([status]) => /^[23]/.test(status));
      const hasBody =
        !!success &&
        (Object.values(success[1].content ?? {}).some((c) => !!(c as { schema?: unknown }).schema) ||
          (/^3/.test(success[0]) && !!success[1].headers?.Location));
      const errors = Object.entries(op.responses).filter(([status]) => /^[45]/.test(status));
      return hasBody && errors.length > 0 && errors.every(([, r]) => (r['x-error-codes'] ?? []).length > 0);
    });
    const missing = all.filter((o) => !described.includes(o)).map(([name]) => name);
    expect(all.length).toBeGreaterThan(20);
    expect({ ratio: described.length / all.length >= 0.95, missing }).toEqual({ ratio: true, missing: expect.any(Array) });
  });

  it('every operation states its security: bearer, the refresh cookie, or none', () => {
    for (const [name, op] of operations(document)) expect({ name, security: Array.isArray(op.security) }).toEqual({ name, security: true });
    const security = (name: string) => JSON.stringify(operations(document).find(([n]) => n === name)?.[1].security);
    expect(security('GET /api/user')).toBe('[{"bearer":[]}]');
    expect(security('POST /api/auth/refresh')).toBe('[{"refreshToken":[]}]');
    expect(security('POST /api/auth/login')).toBe('[]');
  });

  it('every security requirement names a scheme the document defines (a generator refuses undefined ones)', () => {
    const defined = Object.keys(document.components?.securitySchemes ?? {});
    for (const [name, op] of operations(document)) {
      const used = ((op.security ?? []) as Record<string, unknown>[]).flatMap((requirement) => Object.keys(requirement));
      expect({ name, undefined: used.filter((scheme) => !defined.includes(scheme)) }).toEqual({ name, undefined: [] });
    }
    expect(defined).toEqual(expect.arrayContaining(['bearer', 'refreshToken', 'passkey_challenge']));
  });

  it('lists only catalogue codes, each under its own status', () => {
    const catalogue = new Set(declaredErrors().map((e) => `${e.status} ${e.code}`));
    for (const [, op] of operations(document)) {
      for (const [status, response] of Object.entries(op.responses)) {
        for (const code of response['x-error-codes'] ?? []) expect(catalogue).toContain(`${status} ${code}`);
      }
    }
    const login = operations(document).find(([n]) => n === 'POST /api/auth/login')![1];
    expect(login.responses['401']['x-error-codes']).toContain('INVALID_CREDENTIALS');
    expect(login.responses['429']['x-error-codes']).toEqual([CommonErrors.RATE_LIMITED.code]);
  });

  it('shared shapes are components: User, Session, Error, Ban and the 2FA payloads', () => {
    expect(Object.keys(document.components?.schemas ?? {})).toEqual(
      expect.arrayContaining(['User', 'Session', 'Error', 'Ban', 'TwoFactorEnrolment', 'BackupCodes', 'TwoFactorPending', 'SignedIn']),
    );
  });

  it('the contract check fails an undocumented field, status or error code', () => {
    const contract = new ApiContract(document);
    const ok = { status: 'ok' };
    expect(contract.check('GET', '/health', 200, 'application/json', ok, JSON.stringify(ok))).toEqual([]);
    expect(contract.check('GET', '/health', 200, 'application/json', { ...ok, debug: 1 }, '{}').join()).toMatch(/debug/);
    expect(contract.check('GET', '/health', 418, 'application/json', ok, '{}').join()).toMatch(/status 418 is not documented/);
    const error = { message: 'x', code: 'INVALID_CREDENTIALS' };
    expect(contract.check('GET', '/api/user', 401, 'application/json', error, '{}').join()).toMatch(/INVALID_CREDENTIALS is not listed for 401/);
  });

  it("the harness's HttpClient checks every answer of a harness app against the document", async () => {
    const narrowed = structuredClone(document);
    delete (narrowed.paths['/health'].get as Operation).responses['200'];
    registerContract(app.port, narrowed);
    try {
      await expect(new HttpClient(app.url).get('/health')).rejects.toThrow(/status 200 is not documented for GET \/health/);
    } finally {
      registerContract(app.port, document);
    }
  });

  it('the relaxed CSP is sent only on the docs pages, never on the API or the sign-in page', async () => {
    const http = new HttpClient(app.url, { followRedirects: 2 });
    expect((await http.get('/api/docs')).headers.get('content-security-policy')).toBe(API_DOCS_CSP);
    for (const route of ['/api/config', '/health', '/login']) {
      const csp = (await http.get(route)).headers.get('content-security-policy') ?? '';
      expect({ route, relaxed: csp.includes("'unsafe-inline'") }).toEqual({ route, relaxed: false });
    }
  });
});

describe('API_DOCS', () => {
  it('production serves no /api/docs unless API_DOCS=true', async () => {
    const off = await startApp(productionSecrets());
    const on = await startApp({ ...productionSecrets(), API_DOCS: 'true' });
    try {
      expect((await new HttpClient(off.url).get('/api/docs-json')).status).toBe(404);
      expect((await new HttpClient(off.url, { followRedirects: 2 }).get('/api/docs')).status).toBe(404);
      expect((await new HttpClient(on.url).get('/api/docs-json')).status).toBe(200);
    } finally {
      await off.stop();
      await on.stop();
    }
  });
});
