import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfigFile } from './load-upstreams';

function file(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-balance-'));
  const p = path.join(dir, 'librechat.yaml');
  fs.writeFileSync(p, text);
  return p;
}

function load(yaml: string | null, env: Record<string, string> = {}) {
  const problems: string[] = [];
  const { balance } = loadConfigFile(yaml === null ? null : file(yaml), env, problems);
  return { balance, problems };
}

describe('balance settings (CONFIG_PATH balance section and the legacy variables)', () => {
  it('is off without a section or variables, and honours the legacy variables without a file', () => {
    expect(load(null)).toEqual({ balance: { enabled: false, startBalance: null, autoRefill: null }, problems: [] });
    expect(load(null, { CHECK_BALANCE: 'TRUE', START_BALANCE: ' 500 ' })).toEqual({
      balance: { enabled: true, startBalance: 500, autoRefill: null },
      problems: [],
    });
    expect(load('version: 1.2.1\n', { CHECK_BALANCE: 'true' }).balance).toEqual({ enabled: true, startBalance: null, autoRefill: null });
  });

  it("takes each field from the file when it sets it, else from the variables (LibreChat's merge, no schema defaults)", () => {
    expect(load('balance: { enabled: true }\n', { START_BALANCE: '700' }).balance).toEqual({ enabled: true, startBalance: 700, autoRefill: null });
    expect(load('balance: { enabled: false, startBalance: 100 }\n', { CHECK_BALANCE: 'true', START_BALANCE: '700' }).balance).toEqual({
      enabled: false,
      startBalance: 100,
      autoRefill: null,
    });
    expect(load('balance: { startBalance: 100 }\n', { CHECK_BALANCE: 'true' }).balance).toEqual({ enabled: true, startBalance: 100, autoRefill: null });
  });

  it("reads a complete auto-refill, keeps refill values that are switched off, and accepts LibreChat's reservationTtlMs", () => {
    const on = load(`
balance:
  enabled: true
  startBalance: 20000
  autoRefillEnabled: true
  refillIntervalValue: 30
  refillIntervalUnit: days
  refillAmount: 10000
  reservationTtlMs: 1800000
`);
    expect(on).toEqual({
      balance: { enabled: true, startBalance: 20000, autoRefill: { intervalValue: 30, intervalUnit: 'days', amount: 10000 } },
      problems: [],
    });
    expect(load('balance: { enabled: true, startBalance: 5, autoRefillEnabled: false, refillAmount: 3 }\n')).toEqual({
      balance: { enabled: true, startBalance: 5, autoRefill: null },
      problems: [],
    });
  });

  it('BA-04 refuses at boot what would be accepted and ignored: unknown keys, wrong types, an incomplete auto-refill, bad variables', () => {
    const cases: Array<[string | null, Record<string, string>, RegExp]> = [
      ['balance: { enabled: true, startbalance: 5 }\n', {}, /balance Unrecognized key: "startbalance"$/],
      ['balance: { enabled: "yes" }\n', {}, /balance\.enabled Invalid input: expected boolean/],
      ['balance: { startBalance: "100" }\n', {}, /balance\.startBalance Invalid input: expected number/],
      ['balance: { refillIntervalUnit: fortnights }\n', {}, /balance\.refillIntervalUnit Invalid option: expected one of "seconds"/],
      ['balance: { reservationTtlMs: 500 }\n', {}, /balance\.reservationTtlMs Too small/],
      ['balance:\n', {}, /balance Invalid input: expected object, received null/],
      [
        'balance: { enabled: true, startBalance: 1, autoRefillEnabled: true, refillAmount: 5 }\n',
        {},
        /autoRefillEnabled is true but refillIntervalValue, refillIntervalUnit are not set/,
      ],
      [null, { START_BALANCE: '12abc' }, /^START_BALANCE: "12abc" is not a whole number/],
      [null, { CHECK_BALANCE: 'yes' }, /^CHECK_BALANCE: "yes" is not a boolean/],
    ];
    for (const [yaml, env, expected] of cases) {
      const { balance, problems } = load(yaml, env);
      expect({ yaml, problems }).toEqual({ yaml, problems: [expect.stringMatching(expected)] });
      expect(balance.enabled).toBe(false);
    }
  });
});
