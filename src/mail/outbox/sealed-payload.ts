import { TokenCipher } from '../../storage';
import type { MailTemplateName } from '../templates/mail-templates';
import type { MailVariables } from '../templates/mail-renderer';

export const MAIL_KIND = 'mail';

/** What the outbox keeps for one mail: the template and its variables, rendered at send time. */
export interface MailJob {
  template: MailTemplateName;
  to: string;
  vars: MailVariables;
}

/**
 * The outbox row holds the link, and the link holds a live token; the token store keeps only
 * hashes, so the outbox must not be the place a database dump reads tokens from. The payload is
 * sealed with AES-256-GCM under a key derived from CREDS_KEY.
 */
export class MailPayloadSeal {
  private readonly cipher: TokenCipher;

  constructor(credsKey: string) {
    this.cipher = new TokenCipher(credsKey, 'gatehouse/mail-outbox');
  }

  seal(job: MailJob): string {
    return this.cipher.seal(JSON.stringify(job), MAIL_KIND);
  }

  /** Null when the payload does not open (another key, or altered). */
  open(payload: string): MailJob | null {
    const plain = this.cipher.open(payload, MAIL_KIND);
    if (plain === null) return null;
    try {
      return JSON.parse(plain) as MailJob;
    } catch {
      return null;
    }
  }
}
