import type { Env } from '../../../src/config';
import { startApp, type RunningApp } from '../app.harness';
import { freePort } from '../free-port';
import { HttpClient, type HttpResponse } from '../http';
import { CLIENT_ORIGIN } from '../social';
import { responseFromPage, SamlIdp, type SamlTestUser } from './saml-idp';

export const SP_ENTITY_ID = 'https://gatehouse.test/saml/sp';

export interface SamlStack {
  idp: SamlIdp;
  app: RunningApp;
  stop(): Promise<void>;
}

/**
 * The real app with SAML configured the way docs/providers.md tells an operator to (entry point,
 * SP entity id, the IdP's certificate, a session secret), against a samlify IdP on loopback.
 */
export async function startSamlStack(
  users: SamlTestUser[],
  env: Env = {},
  options: { idpHost?: string; appOrigin?: (port: number) => string } = {},
): Promise<SamlStack> {
  const idp = await SamlIdp.start(users, { host: options.idpHost });
  const port = await freePort();
  const origin = options.appOrigin?.(port) ?? `http://127.0.0.1:${port}`;
  idp.sp = { entityId: SP_ENTITY_ID, acsUrl: `${origin}/oauth/saml/callback`, responseSigned: env.SAML_USE_AUTHN_RESPONSE_SIGNED === 'true' };
  try {
    const app = await startApp({
      ALLOW_SOCIAL_LOGIN: 'true',
      ALLOW_SOCIAL_REGISTRATION: 'true',
      DOMAIN_SERVER: origin,
      DOMAIN_CLIENT: options.appOrigin ? origin : CLIENT_ORIGIN,
      PORT: String(port),
      SAML_ENTRY_POINT: idp.entryPoint,
      SAML_ISSUER: SP_ENTITY_ID,
      SAML_CERT: idp.keys.cert,
      SAML_SESSION_SECRET: 'a-test-only-saml-session-secret-0123456789abcdef',
      ...env,
    });
    return {
      idp,
      app,
      async stop() {
        await app.stop();
        await idp.stop();
      },
    };
  } catch (error) {
    await idp.stop();
    throw error;
  }
}

export interface SamlBrowserLogin {
  http: HttpClient;
  start: HttpResponse;
  requestId: string;
  /** The decoded Response XML the IdP issued. */
  responseXml: string;
  callback: HttpResponse;
}

/** Plays the browser: /oauth/saml → IdP → (optionally altered) Response posted to the callback with the browser's cookies. */
export async function samlLogin(
  stack: SamlStack,
  options: { http?: HttpClient; alter?: (xml: string) => string | Promise<string> } = {},
): Promise<SamlBrowserLogin> {
  const http = options.http ?? new HttpClient(stack.app.url);
  const start = await http.get('/oauth/saml');
  if (start.status !== 302 || !start.location?.startsWith(stack.idp.entryPoint)) throw new Error(`/oauth/saml answered ${start.status} → ${start.location}`);
  const sso = new URL(start.location);
  const page = await new HttpClient(stack.idp.url).get(sso.pathname + sso.search);
  if (page.status !== 200) throw new Error(`IdP answered ${page.status}: ${page.text}`);
  const requestId = stack.idp.requests.at(-1)!.id;
  const issued = responseFromPage(page.text);
  const responseXml = options.alter ? await options.alter(issued) : issued;
  const callback = await postResponse(http, responseXml);
  return { http, start, requestId, responseXml, callback };
}

export function postResponse(http: HttpClient, xml: string): Promise<HttpResponse> {
  return http.post('/oauth/saml/callback', { form: { SAMLResponse: Buffer.from(xml).toString('base64') } });
}
