import type { OidcAccount, OidcClientConfig } from '../support/oidc/oidc-provider.harness';

// Nothing listens here: flows stop at the redirect to the RP, which is only inspected.
export const RP = 'http://127.0.0.1:9/rp';

export const CLIENT: OidcClientConfig = {
  client_id: 'gatehouse',
  client_secret: 'gatehouse-secret',
  redirect_uris: [`${RP}/callback`],
  post_logout_redirect_uris: [`${RP}/logged-out`],
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'client_secret_basic',
};

export const ALICE: OidcAccount = {
  accountId: 'alice',
  claims: {
    email: 'alice@example.test',
    email_verified: true,
    name: 'Alice Liddell',
    given_name: 'Alice',
    family_name: 'Liddell',
    preferred_username: 'alice',
    roles: ['admin'],
    groups: ['staff'],
  },
};
