import { contextWords, isBuiltFromContext } from './context-words';

describe('context words (PW-03)', () => {
  const common = new Set(['password', 'iloveyou']);
  const isCommon = (rest: string) => common.has(rest);
  const built = (password: string, words: string[]) => isBuiltFromContext(password.normalize('NFKC').toLowerCase(), words, isCommon);

  it('takes the email local part, the name and username (whole, joined, in pieces) and the title, longest first', () => {
    const words = contextWords({ email: 'John.Smith@Example.com', name: 'Margaret Hamilton', username: 'jo' }, 'Acme Chat');
    expect(words).toEqual(
      expect.arrayContaining([
        'john.smith',
        'johnsmith',
        'john',
        'smith',
        'margaret hamilton',
        'margarethamilton',
        'hamilton',
        'acme chat',
        'acmechat',
        'acme',
        'chat',
      ]),
    );
    expect(words).not.toContain('jo');
    expect(words).not.toContain('example');
    expect([...words].sort((a, b) => b.length - a.length)).toEqual(words);
  });

  it('refuses a context word plus digits and symbols, or plus a common password', () => {
    const words = contextWords({ email: 'john.smith@example.com', name: 'Grace' }, 'Gatehouse');
    for (const p of ['John.Smith2024!', 'johnsmith 99', '2024smithjohn', 'GRACE-password', 'gatehouse123', 'grace iloveyou'])
      expect({ p, built: built(p, words) }).toEqual({ p, built: true });
  });

  it('accepts passwords that merely contain a context word among other words, and unrelated ones', () => {
    const words = contextWords({ email: 'grace@example.com', name: 'Grace' }, 'Gatehouse');
    for (const p of ['grace likes purple tea', 'correct horse battery', 'amazing race 77']) expect({ p, built: built(p, words) }).toEqual({ p, built: false });
  });
});
