import { Injectable } from '@nestjs/common';
import { ServerConfig } from '../config';
import { passkeyErrors } from './passkey-errors';

/** The validated WebAuthn relying party (server config); passkeys answer 503 when it could not be derived. */
@Injectable()
export class RelyingParty {
  constructor(private readonly server: ServerConfig) {}

  get name(): string {
    return this.server.appTitle;
  }

  require(): { rpId: string; origins: string[] } {
    if (!this.server.webauthn) throw passkeyErrors.unavailable();
    return this.server.webauthn;
  }
}
