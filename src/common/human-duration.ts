const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const MAX_MS = 365 * UNIT_MS.d;

/**
 * `90s`, `30m`, `2h`, `1h30m`, `7d`, `2w` → milliseconds. A bare number is refused rather than
 * guessed: LibreChat's ban-user read it as milliseconds in one place and minutes in another
 * (LibreChat defect D-19, docs/librechat-differences.md).
 */
export function parseHumanDuration(text: string): number | null {
  const input = text.trim().toLowerCase();
  if (!/^(\d+\s*[smhdw]\s*)+$/.test(input)) return null;
  let total = 0;
  for (const [, amount, unit] of input.matchAll(/(\d+)\s*([smhdw])/g)) total += Number(amount) * UNIT_MS[unit];
  return total > 0 && total <= MAX_MS ? total : null;
}

/** The largest whole units of a duration, e.g. 5400000 → "1h 30m". */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / 1000) * 1000;
  for (const unit of ['d', 'h', 'm', 's']) {
    const count = Math.floor(rest / UNIT_MS[unit]);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * UNIT_MS[unit];
  }
  return parts.join(' ') || '0s';
}
