import { balanceSyncOf } from './balance-sign-in.sync';

describe('balanceSyncOf (what a sign-in writes)', () => {
  it("writes nothing when disabled, or enabled without a start balance (LibreChat's rule)", () => {
    expect(balanceSyncOf({ enabled: false, startBalance: 100, autoRefill: null })).toBeNull();
    expect(balanceSyncOf({ enabled: true, startBalance: null, autoRefill: { intervalValue: 1, intervalUnit: 'days', amount: 5 } })).toBeNull();
  });

  it('carries the start balance (0 included) and the complete auto-refill', () => {
    expect(balanceSyncOf({ enabled: true, startBalance: 0, autoRefill: null })).toEqual({ startBalance: 0, autoRefill: null });
    const autoRefill = { intervalValue: 2, intervalUnit: 'weeks' as const, amount: 9 };
    expect(balanceSyncOf({ enabled: true, startBalance: 7, autoRefill })).toEqual({ startBalance: 7, autoRefill });
  });
});
