/** What a password must not merely be built from (NIST SP 800-63B §3.1.1.2: context-specific words). */
export interface PasswordContext {
  email?: string | null;
  name?: string | null;
  username?: string | null;
}

const MIN_WORD = 3;

/**
 * The words a guesser tries first for this account: the email's local part and its pieces, the
 * name and username (whole, joined and in pieces) and the service's title. Lower-cased, NFKC.
 */
export function contextWords(context: PasswordContext, appTitle: string): string[] {
  const sources = [context.email?.split('@')[0], context.name, context.username, appTitle];
  const words = new Set<string>();
  for (const source of sources) {
    const text = source?.normalize('NFKC').toLowerCase().trim();
    if (!text) continue;
    const pieces = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    for (const word of [text, pieces.join(''), ...pieces]) if ([...word].length >= MIN_WORD) words.add(word);
  }
  // Longest first, so "john.smith" is taken out before "john" leaves ".smith" behind.
  return [...words].sort((a, b) => b.length - a.length);
}

/**
 * True when the password is one or more context words plus nothing but digits, symbols and
 * spaces ("JohnSmith1990!", "gatehouse2024"), or plus something on the common list.
 */
export function isBuiltFromContext(normalizedPassword: string, words: readonly string[], isCommon: (rest: string) => boolean): boolean {
  let rest = normalizedPassword;
  for (const word of words) rest = rest.split(word).join(' ');
  if (rest === normalizedPassword) return false;
  const trimmed = rest.replace(/\s+/g, ' ').trim();
  return !/\p{L}/u.test(trimmed) || isCommon(trimmed) || isCommon(trimmed.replace(/[^\p{L}\p{N}]+/gu, ''));
}
