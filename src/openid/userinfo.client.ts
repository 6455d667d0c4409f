import { Injectable, Logger } from '@nestjs/common';
import { OpenIdFailure } from './openid-errors';
import { OpenIdHttp } from './openid-http';
import type { ProviderMetadata } from './provider-metadata';

/**
 * UserInfo with the access token in the Authorization header (never the query, CS-01). Its
 * `sub` must equal the ID token's (OIDC §5.3.2, CS-10). A provider that refuses the token at
 * UserInfo (an API-audience JWT, as Auth0 and oidc-provider do) is not an error: the ID token's
 * claims are used alone.
 */
@Injectable()
export class UserinfoClient {
  private readonly logger = new Logger('OpenIdUserinfo');

  constructor(private readonly http: OpenIdHttp) {}

  async fetch(metadata: ProviderMetadata, accessToken: string | null, expectedSub: string): Promise<Record<string, unknown> | null> {
    if (!metadata.userinfoEndpoint || !accessToken) return null;
    const response = await this.http.request('userinfo', metadata.userinfoEndpoint, { headers: { authorization: `Bearer ${accessToken}` } });
    if (response.status !== 200 || !response.json) {
      this.logger.warn({ status: response.status }, 'UserInfo refused the access token; using the ID token claims only');
      return null;
    }
    if (response.json.sub !== expectedSub) throw new OpenIdFailure('rejected', 'the UserInfo sub differs from the ID token sub (CS-10)');
    return response.json;
  }
}
