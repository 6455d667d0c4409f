/**
 * Password hashing behind one seam. Implementations must do their work off the event loop
 * (native bindings on libuv's thread pool), never with a pure-JS hash on the request thread.
 */
export abstract class PasswordHasher {
  abstract hash(password: string): Promise<string>;
  abstract verify(password: string, hash: string): Promise<boolean>;
  /**
   * True when the stored hash should be replaced after a successful verify: another algorithm or
   * cost than configured, or a form that could not hold this password in full.
   */
  abstract needsRehash(hash: string, password: string): boolean;
  /**
   * Spends the same time as `verify` against a real hash of the configured cost and returns
   * false: used when there is no account or no password, so timing does not tell (EN-01, EN-02).
   */
  abstract verifyDummy(password: string): Promise<false>;
}
