import { exceedsJsonDepth } from './json-depth';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('exceedsJsonDepth (LG-05: depth limit before parsing)', () => {
  it('counts objects and arrays together and stops at the limit', () => {
    expect(exceedsJsonDepth(bytes(`${'['.repeat(3)}${']'.repeat(3)}`), 3)).toBe(false);
    expect(exceedsJsonDepth(bytes(`${'['.repeat(4)}${']'.repeat(4)}`), 3)).toBe(true);
    expect(exceedsJsonDepth(bytes('{"a":[{"b":[1]}]}'), 3)).toBe(true);
    expect(exceedsJsonDepth(bytes('{"a":[1],"b":[2],"c":{"d":3}}'), 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonDepth(bytes(JSON.stringify({ s: '[[[[{{{{"\\[[[' })), 2)).toBe(false);
    expect(exceedsJsonDepth(bytes(JSON.stringify({ s: 'a\\"', t: [[[1]]] })), 3)).toBe(true);
  });

  it('a body no longer than the limit is never scanned too deep', () => {
    expect(exceedsJsonDepth(bytes('[[]]'), 64)).toBe(false);
  });
});
