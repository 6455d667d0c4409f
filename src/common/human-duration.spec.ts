import { formatDuration, parseHumanDuration } from './human-duration';

describe('parseHumanDuration', () => {
  it.each([
    ['30m', 30 * 60_000],
    ['2h', 2 * 3_600_000],
    ['1h30m', 90 * 60_000],
    ['1h 30m', 90 * 60_000],
    ['90s', 90_000],
    ['7d', 7 * 86_400_000],
    ['2W', 14 * 86_400_000],
  ])('%s', (text, ms) => expect(parseHumanDuration(text)).toBe(ms));

  it.each(['', '120', '2 hours', '-5m', '0m', '1y', '400d', '5m; rm -rf /'])('refuses %p', (text) => {
    expect(parseHumanDuration(text)).toBeNull();
  });

  it('formats back in whole units', () => {
    expect(formatDuration(90 * 60_000)).toBe('1h 30m');
    expect(formatDuration(2 * 86_400_000 + 5000)).toBe('2d 5s');
  });
});
