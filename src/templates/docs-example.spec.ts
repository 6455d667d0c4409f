import * as path from 'node:path';
import { loadUpstreams } from '../config/upstreams/load-upstreams';
import { templateEnvironment } from '../config/upstreams/template-env';
import type { TemplatesConfig } from '../config';
import type { UserRecord } from '../storage';
import { FederatedTokenHub } from './federated-token.source';
import { TemplateResolver } from './template-resolver';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'docs', 'examples', 'librechat.yaml');

describe('docs/examples/librechat.yaml (the seed examples as Gatehouse configuration)', () => {
  it('passes the boot checks and resolves for an OpenID user', async () => {
    const env = { API_KEY: 'k' };
    const problems: string[] = [];
    const upstreams = loadUpstreams(EXAMPLE, env, problems);
    expect(problems).toEqual([]);
    expect([...upstreams.endpoints.keys()]).toEqual(['CognitoProtectedAPI', 'Auth0API']);
    expect([...upstreams.mcp.keys()]).toEqual(['cognito-http-service']);
    expect([...upstreams.stdio.keys()]).toEqual(['aws-cognito-service', 'azure-ad-service']);

    const hub = new FederatedTokenHub();
    hub.use({ forUser: async () => ({ accessToken: 'cognito-at', idToken: 'cognito-id', expiresAt: null, claims: { sub: 'sub-1', email: 'u@example.com' } }) });
    const config = { env: templateEnvironment(env), upstreams } as unknown as TemplatesConfig;
    const resolver = new TemplateResolver(config, hub);
    const user = { id: 'u1', provider: 'openid', openidId: 'sub-1', email: 'u@example.com' } as UserRecord;
    expect(await resolver.resolveHeaders(upstreams.endpoints.get('CognitoProtectedAPI')!.headers, { user })).toEqual({
      Authorization: 'Bearer cognito-at',
      'X-Cognito-User-ID': 'sub-1',
      'X-User-Email': 'u@example.com',
    });
    expect((await resolver.resolveObject(upstreams.stdio.get('azure-ad-service')!, { user })).env).toEqual({
      AZURE_ACCESS_TOKEN: 'cognito-at',
      AZURE_ID_TOKEN: 'cognito-id',
      AAD_USER_OID: 'sub-1',
    });
  });
});
