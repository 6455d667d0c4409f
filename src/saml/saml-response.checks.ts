import type { Profile } from '@node-saml/node-saml';
import { SocialLoginFailure } from '../social';

/**
 * The few DOM members used here. @xmldom/xmldom's own typings pull the browser `dom` lib into the
 * whole program (changing fetch's and Headers' types), so the module is loaded untyped.
 */
interface XmlElement {
  namespaceURI: string | null;
  localName: string;
  getAttribute(name: string): string | null;
}
interface XmlDocument {
  documentElement: XmlElement | null;
  getElementsByTagNameNS(ns: string, name: string): ArrayLike<XmlElement>;
}
type XmlParser = new (options: { errorHandler: Record<'warning' | 'error' | 'fatalError', (msg: string) => void> }) => {
  parseFromString(xml: string, type: string): XmlDocument | undefined;
};
/** Required on the first SAML response, not at boot by deployments without SAML. */
const xmlParser = (): XmlParser => (require('@xmldom/xmldom') as { DOMParser: XmlParser }).DOMParser;

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
/** A SAML response of a normal person fits easily; anything larger is refused before parsing. */
export const MAX_RESPONSE_BYTES = 256 * 1024;

/**
 * SHA-2 only. node-saml (through xml-crypto) also accepts RSA-SHA1 and SHA-1 digests, which are
 * collision-prone and which no current IdP needs; HMAC and unknown algorithms are refused too (SA-09).
 */
const SIGNATURE_ALGORITHMS = new Set(['http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512']);
const DIGEST_ALGORITHMS = new Set(['http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmlenc#sha512']);

export interface ResponseEnvelope {
  /** The decoded XML, handed on to node-saml unchanged. */
  xml: string;
  inResponseTo: string | null;
}

/**
 * What is checked before the library sees the response: size, no DTD (entity expansion, XXE),
 * exactly one protocol Response as the root, only SHA-2 signature and digest algorithms, and a
 * Destination (when present) equal to our callback (SA-07). Also reads InResponseTo, so the
 * request it answers can be consumed first.
 */
export function inspectResponse(samlResponse: unknown, callbackUrl: string): ResponseEnvelope {
  if (typeof samlResponse !== 'string' || samlResponse === '') throw refuse('callback without a SAMLResponse');
  if (samlResponse.length > (MAX_RESPONSE_BYTES * 4) / 3) throw refuse('SAMLResponse too large');
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw refuse('SAMLResponse carries a DTD');
  let errors = 0;
  const DOMParser = xmlParser();
  const doc = new DOMParser({ errorHandler: { warning: () => undefined, error: () => errors++, fatalError: () => errors++ } }).parseFromString(xml, 'text/xml');
  const root = doc?.documentElement;
  if (errors > 0 || !doc || !root || root.namespaceURI !== PROTOCOL || root.localName !== 'Response')
    throw refuse('SAMLResponse is not a SAML 2.0 Response document');
  for (const method of Array.from(doc.getElementsByTagNameNS(DSIG, 'SignatureMethod'))) {
    const alg = method.getAttribute('Algorithm') ?? '';
    if (!SIGNATURE_ALGORITHMS.has(alg)) throw refuse(`signature algorithm not allowed: ${alg.slice(0, 80)}`);
  }
  for (const method of Array.from(doc.getElementsByTagNameNS(DSIG, 'DigestMethod'))) {
    const alg = method.getAttribute('Algorithm') ?? '';
    if (!DIGEST_ALGORITHMS.has(alg)) throw refuse(`digest algorithm not allowed: ${alg.slice(0, 80)}`);
  }
  const destination = root.getAttribute('Destination');
  if (destination && destination !== callbackUrl) throw refuse(`Destination ${destination.slice(0, 120)} is not this service's callback`);
  return { xml, inResponseTo: root.getAttribute('InResponseTo') || null };
}

type XmlJs = { $?: Record<string, string>; [child: string]: unknown };

/**
 * Checks on the verified assertion that node-saml leaves to the caller: a bearer
 * SubjectConfirmation whose Recipient is our callback, and no confirmation addressed elsewhere
 * (SA-07). `profile.getAssertion()` is the signed assertion node-saml verified, parsed.
 */
export function checkRecipient(profile: Profile, callbackUrl: string): void {
  const assertion = (profile.getAssertion?.() as { Assertion?: XmlJs } | undefined)?.Assertion;
  const subject = first(assertion?.Subject);
  const confirmations = list(subject?.SubjectConfirmation);
  let bearerForUs = false;
  for (const confirmation of confirmations) {
    const data = first(confirmation.SubjectConfirmationData);
    const recipient = data?.$?.Recipient;
    if (recipient !== undefined && recipient !== callbackUrl) throw refuse(`assertion Recipient ${recipient.slice(0, 120)} is not this service's callback`);
    if (confirmation.$?.Method === 'urn:oasis:names:tc:SAML:2.0:cm:bearer' && recipient === callbackUrl) bearerForUs = true;
  }
  if (!bearerForUs) throw refuse('assertion has no bearer SubjectConfirmation for this service');
}

function list(value: unknown): XmlJs[] {
  return Array.isArray(value) ? (value as XmlJs[]) : [];
}

function first(value: unknown): XmlJs | undefined {
  return list(value)[0];
}

function refuse(message: string): SocialLoginFailure {
  return new SocialLoginFailure('provider_error', `SAML: ${message}`);
}
