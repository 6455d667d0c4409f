import type { TemplatesConfig } from '../config';
import type { UserRecord } from '../storage';
import { FederatedTokenHub, type FederatedTokens } from './federated-token.source';
import { TemplateResolver } from './template-resolver';

const NOW = new Date('2031-01-01T00:00:00Z');

function user(overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id: '65f000000000000000000001',
    email: 'ada@example.com',
    name: 'Ada',
    username: 'ada',
    password: null,
    emailVerified: true,
    avatar: null,
    provider: 'openid',
    role: 'USER',
    googleId: null,
    facebookId: null,
    githubId: null,
    discordId: null,
    samlId: null,
    openidId: 'sub-123',
    openidIssuer: 'https://idp.example',
    ldapId: null,
    appleId: null,
    idOnTheSource: null,
    twoFactorEnabled: false,
    termsAccepted: true,
    disabled: false,
    expiresAt: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

const TOKENS: FederatedTokens = {
  accessToken: 'at-1',
  idToken: 'id-1',
  expiresAt: new Date('2031-01-01T01:00:00Z'),
  claims: { sub: 'sub-123', email: 'ada@idp.example', name: 'Ada IdP', exp: 1924995600 },
};

class FixedTokens {
  calls = 0;
  constructor(private readonly tokens: FederatedTokens | null) {}
  async forUser(): Promise<FederatedTokens | null> {
    this.calls += 1;
    return this.tokens;
  }
}

function resolver(tokens: FederatedTokens | null = TOKENS, env: Record<string, string> = { API_HOST: 'api.example', GREETING: 'hi' }) {
  const config = {
    env,
    upstreams: { endpoints: new Map(), mcp: new Map(), stdio: new Map() },
    configPath: null,
    upstreamTimeoutMs: 1000,
  } as unknown as TemplatesConfig;
  const source = new FixedTokens(tokens);
  const hub = new FederatedTokenHub();
  hub.use(source);
  return { r: new TemplateResolver(config, hub), source };
}

describe('TemplateResolver (docs/templates.md#variables)', () => {
  it('expands ${VAR} from the environment snapshot and leaves unknown variables literal', async () => {
    const { r } = resolver();
    const b = await r.bind({ user: null });
    expect(r.resolveString('https://${API_HOST}/v1 ${NOPE}', b)).toBe('https://api.example/v1 ${NOPE}');
  });

  it('never expands secrets: they are not in the snapshot, so they stay literal', async () => {
    const { r } = resolver(TOKENS, { OTHER: 'x' });
    const b = await r.bind({ user: null });
    expect(r.resolveString('${JWT_SECRET}', b)).toBe('${JWT_SECRET}');
  });

  it('fills every user field; null fields become empty; free-text fields are b64-encoded in headers when not Latin-1', async () => {
    const { r } = resolver();
    const u = user({ name: 'Ада', googleId: null });
    const b = await r.bind({ user: u });
    expect(
      r.resolveString('{{LIBRECHAT_USER_ID}}|{{LIBRECHAT_USER_EMAIL}}|{{LIBRECHAT_USER_ROLE}}|{{LIBRECHAT_USER_GOOGLEID}}|{{LIBRECHAT_USER_EMAILVERIFIED}}', b),
    ).toBe(`${u.id}|ada@example.com|USER||true`);
    expect(r.resolveString('{{LIBRECHAT_USER_NAME}}', b)).toBe('Ада');
    expect(r.resolveString('{{LIBRECHAT_USER_NAME}}', b, { header: true })).toBe(`b64:${Buffer.from('Ада').toString('base64')}`);
    expect(r.resolveString('{{LIBRECHAT_USER_USERNAME}}', b, { header: true })).toBe('ada');
  });

  it('fills the OpenID family from valid federated tokens, with claim fallbacks', async () => {
    const { r } = resolver();
    const b = await r.bind({ user: user() });
    expect(r.resolveString('Bearer {{LIBRECHAT_OPENID_TOKEN}}', b)).toBe('Bearer at-1');
    expect(r.resolveString('{{LIBRECHAT_OPENID_ACCESS_TOKEN}} {{LIBRECHAT_OPENID_ID_TOKEN}} {{LIBRECHAT_OPENID_USER_ID}}', b)).toBe('at-1 id-1 sub-123');
    expect(r.resolveString('{{LIBRECHAT_OPENID_USER_EMAIL}} {{LIBRECHAT_OPENID_USER_NAME}}', b)).toBe('ada@idp.example Ada IdP');
    // TR-10: the expiry of the access token, not of the ID token.
    expect(r.resolveString('{{LIBRECHAT_OPENID_EXPIRES_AT}}', b)).toBe(String(Math.floor(TOKENS.expiresAt!.getTime() / 1000)));
  });

  it('gives local users (and OpenID users without valid tokens) empty OpenID values, without asking for tokens', async () => {
    const { r, source } = resolver();
    const local = await r.bind({ user: user({ provider: 'local', openidId: null }) });
    expect(source.calls).toBe(0);
    expect(r.resolveString('[{{LIBRECHAT_OPENID_TOKEN}}][{{LIBRECHAT_OPENID_USER_ID}}]', local)).toBe('[][]');
    const { r: r2 } = resolver(null);
    expect(r2.resolveString('[{{LIBRECHAT_OPENID_TOKEN}}]', await r2.bind({ user: user() }))).toBe('[]');
  });

  it('fills the body family; absent fields are empty', async () => {
    const { r } = resolver();
    const b = await r.bind({ user: null, body: { conversationId: 'c-1', messageId: 42 } });
    expect(r.resolveString('{{LIBRECHAT_BODY_CONVERSATIONID}}/{{LIBRECHAT_BODY_MESSAGEID}}/{{LIBRECHAT_BODY_PARENTMESSAGEID}}', b)).toBe('c-1/42/');
  });

  it('leaves unknown placeholders literal, in every family', async () => {
    const { r } = resolver();
    const b = await r.bind({ user: user() });
    expect(r.resolveString('{{LIBRECHAT_USER_SHOESIZE}} {{LIBRECHAT_OPENID_SECRET}} {{LIBRECHAT_BODY_X}} {{MY_VAR}}', b)).toBe(
      '{{LIBRECHAT_USER_SHOESIZE}} {{LIBRECHAT_OPENID_SECRET}} {{LIBRECHAT_BODY_X}} {{MY_VAR}}',
    );
  });

  it('TR-07: a value from a user, a claim or a body is never expanded again (single pass)', async () => {
    const { r } = resolver({ ...TOKENS, claims: { ...TOKENS.claims, name: '${GREETING}' } });
    const b = await r.bind({
      user: user({ name: '{{LIBRECHAT_OPENID_TOKEN}}', username: '${API_HOST}' }),
      body: { conversationId: '{{LIBRECHAT_USER_EMAIL}}' },
    });
    expect(r.resolveString('{{LIBRECHAT_USER_NAME}}|{{LIBRECHAT_USER_USERNAME}}|{{LIBRECHAT_BODY_CONVERSATIONID}}|{{LIBRECHAT_OPENID_USER_NAME}}', b)).toBe(
      '{{LIBRECHAT_OPENID_TOKEN}}|${API_HOST}|{{LIBRECHAT_USER_EMAIL}}|${GREETING}',
    );
  });

  it('TR-08: a resolved header with CR/LF is refused; non-Latin-1 outside user fields is refused', async () => {
    const { r } = resolver(TOKENS, { EVIL: 'a\r\nX-Injected: 1', WIDE: 'ü✓' });
    await expect(r.resolveHeaders({ 'X-User': '{{LIBRECHAT_USER_NAME}}' }, { user: user({ name: 'Eve\r\nX-Admin: true' }) })).rejects.toMatchObject({
      status: 400,
      code: 'TEMPLATE_VALUE_REJECTED',
    });
    await expect(r.resolveHeaders({ 'X-Env': '${EVIL}' }, { user: null })).rejects.toMatchObject({ code: 'TEMPLATE_VALUE_REJECTED' });
    await expect(r.resolveHeaders({ 'X-Env': '${WIDE}' }, { user: null })).rejects.toMatchObject({ code: 'TEMPLATE_VALUE_REJECTED' });
    expect(
      await r.resolveHeaders({ Authorization: 'Bearer {{LIBRECHAT_OPENID_TOKEN}}', 'X-User-Email': '{{LIBRECHAT_USER_EMAIL}}' }, { user: user() }),
    ).toEqual({ Authorization: 'Bearer at-1', 'X-User-Email': 'ada@example.com' });
  });

  it('resolves nested objects and arrays (stdio env and args)', async () => {
    const { r } = resolver();
    const resolved = await r.resolveObject(
      { env: { TOKEN: '{{LIBRECHAT_OPENID_TOKEN}}', HOST: '${API_HOST}' }, args: ['--user', '{{LIBRECHAT_USER_ID}}'], port: 8080 },
      { user: user() },
    );
    expect(resolved).toEqual({ env: { TOKEN: 'at-1', HOST: 'api.example' }, args: ['--user', '65f000000000000000000001'], port: 8080 });
  });
});
