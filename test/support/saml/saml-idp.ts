import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

/**
 * The part of samlify used here. Its typings import @xmldom/xmldom's, which pull the browser
 * `dom` lib into the whole program (changing fetch's and Headers' types), so it is loaded untyped.
 */
interface Entity {
  createLoginResponse(
    sp: Entity,
    request: unknown,
    binding: 'post',
    user: unknown,
    replace: (template: string) => { id: string; context: string },
  ): Promise<unknown>;
  parseLoginRequest(sp: Entity, binding: 'redirect', req: { query: Record<string, string> }): Promise<{ extract: unknown }>;
}
interface AcsEntry {
  binding: string;
  location: string;
}
interface SpEntity {
  entityMeta: { getEntityID(): string; meta: { assertionConsumerService: AcsEntry | AcsEntry[]; spSSODescriptor: { wantAssertionsSigned: string } } };
}
interface Samlify {
  setSchemaValidator(validator: { validate(xml: string): Promise<string> }): void;
  IdentityProvider(settings: Record<string, unknown>): Entity;
  ServiceProvider(settings: Record<string, unknown>): Entity & SpEntity;
  Constants: { namespace: { binding: { redirect: string; post: string } } };
  SamlLib: { replaceTagsByValue(template: string, values: Record<string, string>): string };
}
const samlify = require('samlify') as Samlify;

/**
 * A real SAML 2.0 Identity Provider on loopback, built on samlify (its IdentityProvider parses
 * our AuthnRequest from the HTTP-Redirect binding and builds and signs the Response with
 * xml-crypto). Keys are generated per run. `GET /sso` answers like an IdP after a successful
 * login: an HTML page whose form posts the SAMLResponse to the SP's ACS URL (a browser submits
 * it; browser-less tests read it with `responseFromPage`). Knobs make it hostile: shifted
 * clocks, another audience/recipient/destination/InResponseTo, SHA-1, another signing key.
 */
export interface SamlTestUser {
  nameId: string;
  attributes: Record<string, string | string[]>;
}

export interface IssueOptions {
  /** Added to every time in the assertion (IssueInstant, NotBefore, NotOnOrAfter). */
  timeShiftMs?: number;
  audience?: string;
  recipient?: string;
  destination?: string;
  /** A string replaces the request's ID; null leaves InResponseTo out. */
  inResponseTo?: string | null;
  signatureAlgorithm?: 'rsa-sha1' | 'rsa-sha256' | 'rsa-sha512';
  /** Sign with this key pair instead of the published one. */
  keyPair?: KeyPair;
  /** Which part carries the signature; default follows the SP (assertion, or response when asked). */
  sign?: 'assertion' | 'response';
}

export interface KeyPair {
  key: string;
  cert: string;
}

export interface SpDescription {
  entityId: string;
  acsUrl: string;
  responseSigned: boolean;
}

const ALGORITHMS = {
  'rsa-sha1': 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  'rsa-sha256': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'rsa-sha512': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
} as const;

let validatorSet = false;

export async function generateKeyPair(commonName = 'Test SAML IdP'): Promise<KeyPair> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 3_600_000),
  });
  return { key: pems.private, cert: pems.cert };
}

export class SamlIdp {
  sp: SpDescription | null = null;
  /** NameID of the user the next login signs in (default: the first user). */
  nextLogin: string | null = null;
  /** One-shot overrides for the next response. */
  next: IssueOptions = {};
  /** AuthnRequests received, parsed by samlify. */
  readonly requests: Array<{ id: string; acsUrl: string; issuer: string; destination: string }> = [];

  private constructor(
    readonly url: string,
    readonly keys: KeyPair,
    private readonly users: SamlTestUser[],
    private readonly server: http.Server,
  ) {}

  static async start(users: SamlTestUser[], options: { host?: string } = {}): Promise<SamlIdp> {
    if (!validatorSet) {
      // samlify insists on a schema validator before parsing; our AuthnRequest is parsed by its
      // own XML reader either way, and the test only needs its ID and ACS URL.
      samlify.setSchemaValidator({ validate: () => Promise.resolve('skipped') });
      validatorSet = true;
    }
    const keys = await generateKeyPair();
    let idp: SamlIdp | null = null;
    const server = http.createServer((req, res) => {
      idp!.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const { port } = server.address() as AddressInfo;
    idp = new SamlIdp(`http://${host}:${port}`, keys, users, server);
    return idp;
  }

  get entryPoint(): string {
    return `${this.url}/sso`;
  }

  get entityId(): string {
    return `${this.url}/metadata`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** A signed Response for `request` as the IdP would issue it (also used by tests directly). */
  async issue(requestId: string | null, options: IssueOptions = {}, nameId?: string): Promise<string> {
    const sp = this.requireSp();
    const user = this.users.find((u) => u.nameId === (nameId ?? this.nextLogin ?? this.users[0].nameId));
    if (!user) throw new Error(`no test user ${nameId ?? this.nextLogin}`);
    const signResponse = options.sign ? options.sign === 'response' : sp.responseSigned;
    const idpEntity = samlify.IdentityProvider({
      entityID: this.entityId,
      signingCert: (options.keyPair ?? this.keys).cert,
      privateKey: (options.keyPair ?? this.keys).key,
      singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: this.entryPoint }],
      singleLogoutService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${this.url}/slo` }],
      nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'],
      requestSignatureAlgorithm: ALGORITHMS[options.signatureAlgorithm ?? 'rsa-sha256'],
    });
    const spEntity = samlify.ServiceProvider({
      entityID: sp.entityId,
      assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: sp.acsUrl }],
      wantAssertionsSigned: !signResponse,
      wantMessageSigned: signResponse,
    });
    const now = Date.now() + (options.timeShiftMs ?? 0);
    const iso = (ms: number) => new Date(ms).toISOString();
    const inResponseTo = options.inResponseTo === undefined ? requestId : options.inResponseTo;
    const values: Record<string, string> = {
      ID: `_resp${Math.random().toString(16).slice(2)}`,
      AssertionID: `_assert${Math.random().toString(16).slice(2)}`,
      Destination: options.destination ?? sp.acsUrl,
      Audience: options.audience ?? sp.entityId,
      SubjectRecipient: options.recipient ?? sp.acsUrl,
      Issuer: this.entityId,
      IssueInstant: iso(now),
      StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
      ConditionsNotBefore: iso(now - 5_000),
      ConditionsNotOnOrAfter: iso(now + 5 * 60_000),
      SubjectConfirmationDataNotOnOrAfter: iso(now + 5 * 60_000),
      NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      NameID: user.nameId,
      InResponseTo: inResponseTo ?? '',
    };
    const result = await idpEntity.createLoginResponse(
      spEntity,
      { extract: { request: { id: requestId ?? '' } } },
      'post',
      { email: user.nameId },
      (template: string) => {
        let context = template
          .replace(
            '{AuthnStatement}',
            `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${values.AssertionID}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
          )
          .replace('{AttributeStatement}', attributeStatement(user.attributes));
        if (inResponseTo === null) context = context.replace(/ InResponseTo="\{InResponseTo\}"/g, '');
        return { id: values.ID, context: samlify.SamlLib.replaceTagsByValue(context, values) };
      },
    );
    return Buffer.from((result as { context: string }).context, 'base64').toString('utf8');
  }

  private requireSp(): SpDescription {
    if (!this.sp) throw new Error('SamlIdp.sp is not set (the SP entity id and ACS URL)');
    return this.sp;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname !== '/sso') return void res.writeHead(404).end();
    const sp = this.requireSp();
    const idpEntity = samlify.IdentityProvider({
      entityID: this.entityId,
      signingCert: this.keys.cert,
      privateKey: this.keys.key,
      singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: this.entryPoint }],
      singleLogoutService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${this.url}/slo` }],
    });
    const spEntity = samlify.ServiceProvider({
      entityID: sp.entityId,
      assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: sp.acsUrl }],
    });
    const parsed = await idpEntity.parseLoginRequest(spEntity, 'redirect', { query: Object.fromEntries(url.searchParams) });
    const request = (parsed.extract as { request: { id: string; assertionConsumerServiceUrl: string; destination: string }; issuer: string }).request;
    this.requests.push({
      id: request.id,
      acsUrl: request.assertionConsumerServiceUrl,
      issuer: (parsed.extract as { issuer: string }).issuer,
      destination: request.destination,
    });
    const options = this.next;
    this.next = {};
    const xml = await this.issue(request.id, options);
    const action = escapeXml(sp.acsUrl);
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><html><body><form method="post" action="${action}"><input type="hidden" name="SAMLResponse" value="${Buffer.from(xml).toString('base64')}"><noscript><button>Continue</button></noscript></form><script>document.forms[0].submit()</script></body></html>`,
      );
  }
}

/** What samlify reads from SP metadata, as an IdP importing it would. */
export function importSpMetadata(xml: string): { entityId: string; acsUrl: string; wantAssertionsSigned: boolean } {
  const sp = samlify.ServiceProvider({ metadata: xml });
  const { assertionConsumerService, spSSODescriptor } = sp.entityMeta.meta;
  // samlify keeps a single ACS as an object, several as an array.
  const acs = [assertionConsumerService].flat().find((a) => a.binding === samlify.Constants.namespace.binding.post);
  return { entityId: sp.entityMeta.getEntityID(), acsUrl: acs?.location ?? '', wantAssertionsSigned: spSSODescriptor.wantAssertionsSigned === 'true' };
}

/** The SAMLResponse (decoded XML) of the IdP's auto-post page. */
export function responseFromPage(html: string): string {
  const match = /name="SAMLResponse" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no SAMLResponse in the IdP page: ${html.slice(0, 200)}`);
  return Buffer.from(match[1], 'base64').toString('utf8');
}

function attributeStatement(attributes: Record<string, string | string[]>): string {
  const items = Object.entries(attributes).map(
    ([name, value]) =>
      `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${(Array.isArray(value) ? value : [value])
        .map((v) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`)
        .join('')}</saml:Attribute>`,
  );
  return items.length ? `<saml:AttributeStatement>${items.join('')}</saml:AttributeStatement>` : '';
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
