import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { bool, httpUrl, optStr, pathOrUrl, secret, str } from '../fields/env-fields';
import { problem } from './issue';

/** LibreChat's four required SAML variables (docs/providers.md): all or none. */
const REQUIRED = ['SAML_ENTRY_POINT', 'SAML_ISSUER', 'SAML_CERT', 'SAML_SESSION_SECRET'] as const;

export const samlSchema = z
  .object({
    SAML_ENTRY_POINT: httpUrl(),
    /** The SP's entity ID: sent as the AuthnRequest Issuer and required as the assertion's Audience. */
    SAML_ISSUER: optStr(),
    SAML_CERT: optStr(),
    SAML_SESSION_SECRET: secret(),
    // LibreChat uses this verbatim (LibreChat defect D-25); a path here is joined to DOMAIN_SERVER like every other callback.
    SAML_CALLBACK_URL: pathOrUrl('/oauth/saml/callback'),
    SAML_EMAIL_CLAIM: optStr(),
    SAML_USERNAME_CLAIM: optStr(),
    SAML_GIVEN_NAME_CLAIM: optStr(),
    SAML_FAMILY_NAME_CLAIM: optStr(),
    SAML_PICTURE_CLAIM: optStr(),
    SAML_NAME_CLAIM: optStr(),
    SAML_USE_AUTHN_RESPONSE_SIGNED: bool(false),
    SAML_BUTTON_LABEL: str('Continue with SAML'),
    SAML_IMAGE_URL: optStr(),
  })
  .superRefine((v, ctx) => {
    const given = REQUIRED.filter((name) => v[name] !== undefined);
    if (given.length > 0) {
      for (const name of REQUIRED) {
        if (v[name] === undefined)
          problem(ctx, name, `is required when ${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} set (SAML needs ${REQUIRED.join(', ')})`);
      }
    }
    if (v.SAML_CERT !== undefined) {
      const cert = readCertificate(v.SAML_CERT);
      if (typeof cert !== 'string') problem(ctx, 'SAML_CERT', cert.problem);
    }
  })
  .transform((v) => {
    const enabled = REQUIRED.every((name) => v[name] !== undefined);
    const cert = enabled ? readCertificate(v.SAML_CERT as string) : null;
    return {
      enabled,
      entryPoint: v.SAML_ENTRY_POINT ?? null,
      issuer: v.SAML_ISSUER ?? null,
      /** The IdP's signing certificate as PEM, already read and parsed at boot. */
      idpCert: typeof cert === 'string' ? cert : null,
      sessionSecret: v.SAML_SESSION_SECRET ?? null,
      callbackUrl: v.SAML_CALLBACK_URL,
      claims: {
        email: v.SAML_EMAIL_CLAIM ?? null,
        username: v.SAML_USERNAME_CLAIM ?? null,
        givenName: v.SAML_GIVEN_NAME_CLAIM ?? null,
        familyName: v.SAML_FAMILY_NAME_CLAIM ?? null,
        picture: v.SAML_PICTURE_CLAIM ?? null,
        name: v.SAML_NAME_CLAIM ?? null,
      },
      /** true: the whole Response must be signed (LibreChat: wantAuthnResponseSigned); false: each Assertion. */
      responseSigned: v.SAML_USE_AUTHN_RESPONSE_SIGNED,
      buttonLabel: v.SAML_BUTTON_LABEL,
      imageUrl: v.SAML_IMAGE_URL ?? null,
    };
  });

export type SamlSettings = z.output<typeof samlSchema>;

/**
 * SAML_CERT as LibreChat accepts it: a PEM certificate, the bare base64 body of one, or a file
 * (absolute, or relative to the working directory) holding either. Unlike LibreChat, the result
 * must parse as an X.509 certificate at boot, so a typo never waits for the first sign-in.
 */
export function readCertificate(value: string): string | { problem: string } {
  const text = value.replace(/\\n/g, '\n').trim();
  if (text.includes('-----BEGIN')) return asPem(text, 'the value');
  const bare = text.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(bare) && bare.length % 4 === 0 && bare.length > 64) return asPem(wrapPem(bare), 'the value');
  const file = path.resolve(text);
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    return { problem: `is neither a PEM certificate, nor base64, nor a readable file (${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'})` };
  }
  return asPem(content.includes('-----BEGIN') ? content : wrapPem(content.replace(/\s+/g, '')), `the file ${file}`);
}

function wrapPem(base64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----`;
}

function asPem(pem: string, what: string): string | { problem: string } {
  try {
    return new X509Certificate(pem).toString().trim();
  } catch {
    return {
      problem: `${what} is not an X.509 certificate; expected the IdP's signing certificate as PEM (-----BEGIN CERTIFICATE-----), its base64 body, or a file path`,
    };
  }
}
