import { defineErrors } from '../common/errors';

/** The public error codes of the openid module (docs/api.md#errors). */
export const OpenidErrors = defineErrors('openid', {
  GRAPH_REQUIRES_OPENID: { status: 403, code: 'GRAPH_REQUIRES_OPENID', message: 'Microsoft Graph access requires Entra ID authentication' },
  GRAPH_REQUIRES_TOKEN_REUSE: { status: 403, code: 'GRAPH_REQUIRES_TOKEN_REUSE', message: 'SharePoint integration requires OpenID token reuse to be enabled' },
  GRAPH_SCOPES_REQUIRED: { status: 400, code: 'GRAPH_SCOPES_REQUIRED', message: 'Graph API scopes are required as query parameter' },
  NO_FEDERATED_TOKEN: { status: 401, code: 'NO_FEDERATED_TOKEN', message: 'No federated access token available for token exchange' },
  GRAPH_TOKEN_FAILED: { status: 500, code: 'GRAPH_TOKEN_FAILED', message: 'Failed to obtain Microsoft Graph token' },
  LOGOUT_TOKEN_INVALID: { status: 400, code: 'LOGOUT_TOKEN_INVALID', message: 'The logout token is invalid.' },
  IDP_UNAVAILABLE: { status: 503, code: 'IDP_UNAVAILABLE', message: 'The identity provider is unavailable. Please try again shortly.' },
  OPENID_OPAQUE_TOKEN: {
    status: 401,
    code: 'OPENID_OPAQUE_TOKEN',
    message: 'The identity provider issued an opaque access token, which cannot be used as a bearer token here. The administrator must set OPENID_AUDIENCE.',
  },
});
