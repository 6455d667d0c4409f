import { isoCBOR } from '@simplewebauthn/server/helpers';
import { createHash, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

/**
 * A software WebAuthn authenticator for HTTP-level tests (the browser suites use Chromium's
 * virtual authenticator). It builds exactly what a platform authenticator sends — "none"
 * attestation, ES256 signatures over authenticatorData ‖ SHA-256(clientDataJSON) — and lets a test
 * lie where an attacker would: another origin, another RP ID, an old counter, no user verification.
 */
export interface Ceremony {
  origin: string;
  /** Defaults to the options' RP ID. */
  rpId?: string;
  userVerified?: boolean;
  /** Overrides the counter this authenticator would send. */
  counter?: number;
}

const b64u = (b: Buffer | Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest();

export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  private readonly key: { privateKey: KeyObject; publicKey: KeyObject };
  private userHandle: string | null = null;
  counter = 0;

  constructor() {
    this.key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  }

  get id(): string {
    return b64u(this.credentialId);
  }

  /** navigator.credentials.create() for creation options JSON; returns RegistrationResponseJSON. */
  create(options: { challenge: string; rp: { id?: string }; user: { id: string } }, c: Ceremony): Record<string, unknown> {
    const rpId = c.rpId ?? options.rp.id ?? 'localhost';
    this.userHandle = options.user.id;
    const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: c.origin, crossOrigin: false }));
    const jwk = this.key.publicKey.export({ format: 'jwk' }) as { x: string; y: string };
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x, 'base64url')],
        [-3, Buffer.from(jwk.y, 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([this.header(rpId, 0x40, c), Buffer.alloc(16), idLength, this.credentialId, Buffer.from(cose)]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]) as never,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: { clientDataJSON: b64u(clientData), attestationObject: b64u(attestationObject), transports: ['internal'] },
    };
  }

  /** navigator.credentials.get() for request options JSON; returns AuthenticationResponseJSON. */
  get(options: { challenge: string; rpId?: string }, c: Ceremony): Record<string, unknown> {
    const rpId = c.rpId ?? options.rpId ?? 'localhost';
    const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: c.origin, crossOrigin: false }));
    const authData = this.header(rpId, 0, c);
    const signer = createSign('SHA256');
    signer.update(Buffer.concat([authData, sha256(clientData)]));
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: b64u(clientData),
        authenticatorData: b64u(authData),
        signature: b64u(signer.sign(this.key.privateKey)),
        userHandle: this.userHandle ?? undefined,
      },
    };
  }

  private header(rpId: string, extraFlags: number, c: Ceremony): Buffer {
    const flags = 0x01 | (c.userVerified === false ? 0 : 0x04) | extraFlags;
    if (c.counter === undefined) this.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(c.counter ?? this.counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), counter]);
  }
}
