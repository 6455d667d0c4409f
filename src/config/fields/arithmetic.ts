/**
 * Evaluates LibreChat's duration expressions such as `1000 * 60 * 15` without `eval`:
 * numbers, + - * / %, parentheses and spaces only (docs/librechat-differences.md#environment-variables).
 * Returns null for anything else, including division by zero and non-finite results.
 */
export function evaluateArithmetic(source: string): number | null {
  if (source.length > 200 || !/^[\d\s+\-*/%().]+$/.test(source)) return null;
  const tokens = source.match(/\d+(?:\.\d+)?|\.\d+|[+\-*/%()]/g);
  if (!tokens || tokens.join('') !== source.replace(/\s+/g, '')) return null;
  let pos = 0;

  const peek = (): string | undefined => tokens[pos];
  const next = (): string | undefined => tokens[pos++];

  // expression := term (('+' | '-') term)*
  function expression(depth: number): number {
    let value = term(depth);
    while (peek() === '+' || peek() === '-') {
      const op = next();
      const rhs = term(depth);
      value = op === '+' ? value + rhs : value - rhs;
    }
    return value;
  }

  // term := factor (('*' | '/' | '%') factor)*
  function term(depth: number): number {
    let value = factor(depth);
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const op = next();
      const rhs = factor(depth);
      if ((op === '/' || op === '%') && rhs === 0) throw new Error('division by zero');
      value = op === '*' ? value * rhs : op === '/' ? value / rhs : value % rhs;
    }
    return value;
  }

  // factor := ('-' | '+') factor | number | '(' expression ')'
  function factor(depth: number): number {
    if (depth > 20) throw new Error('too deeply nested');
    const token = next();
    if (token === '-') return -factor(depth + 1);
    if (token === '+') return factor(depth + 1);
    if (token === '(') {
      const value = expression(depth + 1);
      if (next() !== ')') throw new Error('missing )');
      return value;
    }
    if (token === undefined || !/^(\d|\.)/.test(token)) throw new Error('number expected');
    return Number(token);
  }

  try {
    const value = expression(0);
    return pos === tokens.length && Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}
