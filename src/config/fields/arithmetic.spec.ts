import { evaluateArithmetic } from './arithmetic';

describe('evaluateArithmetic', () => {
  it.each([
    ['900000', 900000],
    ['1000 * 60 * 15', 900000],
    ['1000*60*60*24*7', 604800000],
    ['(2 + 3) * 4', 20],
    ['2 + 3 * 4', 14],
    ['10 - 4 - 3', 3],
    ['100 / 4 / 5', 5],
    ['17 % 5', 2],
    ['-5 + 10', 5],
    ['1.5 * 1000', 1500],
  ])('evaluates %s', (source, expected) => {
    expect(evaluateArithmetic(source)).toBe(expected);
  });

  it.each([
    'process.exit()',
    '1000 * 60 *',
    '(1 + 2',
    '1 + 2)',
    '1 / 0',
    '5 % 0',
    '',
    '1e3',
    '2 ** 3',
    'require("fs")',
    '1 2',
    '(((((((((((((((((((((((1)))))))))))))))))))))))',
  ])('refuses %p', (source) => {
    expect(evaluateArithmetic(source)).toBeNull();
  });
});
