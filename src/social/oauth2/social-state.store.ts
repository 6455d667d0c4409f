import { CookieInstructions, applyCookies } from '../../common/http';
import type { OAuthStateStore } from '../../oauth-state';
import type { PassportRequest } from './passport-runner';

type StoreCallback = (err: Error | null, state?: string) => void;
type VerifyCallback = (err: Error | null, ok: string | boolean, info?: unknown) => void;

/**
 * passport-oauth2's state store interface over the sealed-cookie OAuth transaction store (`oauth-state/`):
 * the state (and the PKCE verifier passport made) rides in an encrypted, browser-bound cookie,
 * so any instance can finish the flow, two tabs can sign in at once, and a state is single-use
 * (OC-01). The transaction records the provider that started it; another provider's callback
 * cannot finish it (OC-06).
 *
 * Arity matters: passport-oauth2 picks the call shape from `store.length` (5) and
 * `verify.length` (3).
 */
export class SocialStateStore {
  constructor(
    private readonly transactions: OAuthStateStore,
    private readonly provider: string,
  ) {}

  store(req: PassportRequest, verifier: string | undefined, _state: unknown, _meta: unknown, callback: StoreCallback): void {
    try {
      const cookies = new CookieInstructions();
      const tx = this.transactions.begin(req.cookies, cookies, this.provider, verifier ?? false);
      applyCookies(req.reply, cookies);
      callback(null, tx.state);
    } catch (error) {
      callback(error as Error);
    }
  }

  verify(req: PassportRequest, providedState: unknown, callback: VerifyCallback): void {
    const state = typeof providedState === 'string' ? providedState : undefined;
    const cookies = new CookieInstructions();
    this.transactions.finish(req.cookies, cookies, state, this.provider).then(
      // A string tells passport-oauth2 to send it as code_verifier; `true` means "no PKCE".
      (tx) => {
        applyCookies(req.reply, cookies);
        return tx ? callback(null, tx.codeVerifier ?? true) : callback(null, false, { message: 'missing, forged, expired or replayed state' });
      },
      (error: Error) => {
        applyCookies(req.reply, cookies);
        callback(error, false);
      },
    );
  }
}
