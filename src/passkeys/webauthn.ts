type WebAuthn = typeof import('@simplewebauthn/server');

let library: WebAuthn | undefined;

/**
 * @simplewebauthn/server, required on the first passkey ceremony rather than at boot: with its
 * ASN.1 and COSE stack it was ~0.2 s of every start's module loading, for a feature many
 * deployments never use. Types are imported normally (`import type`), which loads nothing.
 */
export function webauthn(): WebAuthn {
  library ??= require('@simplewebauthn/server') as WebAuthn;
  return library;
}
