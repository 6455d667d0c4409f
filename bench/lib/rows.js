// Report rows shared by every benchmark: a plain figure, or a figure next to its target with
// "met: yes/no", so no bench prints a ratio without saying what it was supposed to reach.
const row = (metric, value, unit) => ({ metric, value: String(value), unit });

/** `unit` defaults to 'x' (a ratio); pass '' for counts and 'ms'/'MiB' for absolute targets. */
function targetRow(metric, value, op, target, { digits = 2, unit = 'x' } = {}) {
  const met = op === '>=' ? value >= target : value <= target;
  const shown = Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
  return row(metric, shown, `${unit.padEnd(4)} target ${op === '>=' ? '≥' : '≤'} ${target}  met: ${met ? 'yes' : 'no'}`);
}

module.exports = { row, targetRow };
