import { UserRepository } from '../../../src/storage';
import { startFakeGraph, type FakeGraph } from '../../support/graph/fake-graph';
import { browserLogin, CLIENT_ORIGIN, startOpenIdStack, type OpenIdStack } from '../../support/oidc/openid-stack';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const EDITORS = '11111111-0000-0000-0000-0000000000e1';
const VIEWERS = '22222222-0000-0000-0000-0000000000v1';

/** Entra's overage shape: no `groups` claim, a pointer to where the groups are instead. */
const overage = (accountId: string) => ({
  accountId,
  claims: {
    email: `${accountId}@example.test`,
    email_verified: true,
    preferred_username: accountId,
    _claim_names: { groups: 'src1' },
    // A host the token chooses: never called (the configured Graph address is).
    _claim_sources: { src1: { endpoint: 'http://127.0.0.2:9/evil/getMemberObjects' } },
  },
});

// The real provider issues ID tokens with `_claim_names.groups` (distributed claims) in place of
// `groups`; Gatehouse exchanges the user's access token on-behalf-of (the provider's jwt-bearer
// grant) and reads the groups from a fake Graph on loopback; role sync reads the result.
describe('Entra group overage through Microsoft Graph (fake Graph, real provider)', () => {
  let stack: OpenIdStack;
  let graph: FakeGraph;
  let users: UserRepository;
  const role = async (email: string) => (await users.findByEmail(email))?.role;
  const exchanges = async () => (await stack.op.stats())[`/token:${JWT_BEARER}`] ?? 0;

  beforeAll(async () => {
    graph = await startFakeGraph();
    stack = await startOpenIdStack({
      client: { grant_types: ['authorization_code', 'refresh_token', JWT_BEARER] },
      idp: { issueRefreshToken: 'always', scopes: [GRAPH_SCOPE] },
      accounts: [overage('ann'), overage('ben'), overage('cat')],
      env: {
        OPENID_SCOPE: 'openid profile email groups',
        OPENID_ROLE_SYNC_ENABLED: 'true',
        OPENID_ROLE_SYNC_SOURCE: 'id',
        OPENID_ROLE_SYNC_CLAIM: 'groups',
        OPENID_ROLE_SYNC_ROLE_PRIORITY: `${EDITORS},${VIEWERS}`,
        OPENID_GRAPH_SCOPES: GRAPH_SCOPE,
        OPENID_GRAPH_URL: graph.url,
      },
    });
    users = stack.app.app.get(UserRepository);
  });
  afterAll(async () => {
    await stack?.stop();
    await graph?.stop();
  });

  it('OR-07 the groups of an overage token come from Graph with an on-behalf-of token; role sync uses them', async () => {
    graph.answer = ['33333333-0000-0000-0000-000000000000', VIEWERS, EDITORS];
    const before = await exchanges();
    const { callback } = await browserLogin(stack, { login: 'ann' });
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    expect(await role('ann@example.test')).toBe(EDITORS);
    expect(graph.calls).toHaveLength(1);
    expect(await exchanges()).toBe(before + 1);
  });

  it('OR-07 membership changes at the next sign-in follow Graph (viewer only now)', async () => {
    graph.answer = [VIEWERS];
    await browserLogin(stack, { login: 'ben' });
    expect(await role('ben@example.test')).toBe(VIEWERS);
  });

  it('OR-04 OR-07 Graph failing leaves the role as it is instead of reading "no groups"', async () => {
    graph.answer = [EDITORS];
    await browserLogin(stack, { login: 'cat' });
    expect(await role('cat@example.test')).toBe(EDITORS);
    graph.answer = 503;
    const calls = graph.calls.length;
    const { callback } = await browserLogin(stack, { login: 'cat' });
    expect(callback.location).toBe(`${CLIENT_ORIGIN}/`);
    expect(graph.calls.length).toBe(calls + 1);
    expect(await role('cat@example.test')).toBe(EDITORS);
  });
});
