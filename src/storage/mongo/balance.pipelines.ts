import { PipelineStage, Types } from 'mongoose';
import { BALANCE_DEFAULTS, BalanceSync } from '../ports';

type UpdateStage = Extract<PipelineStage, { $set: unknown }>;

/**
 * LibreChat's sign-in sync (`setBalanceConfig`) as one update pipeline, evaluated by the server
 * against the record as it is at that moment: credits only where missing (`$ifNull`), so a spend
 * or refill that lands between two sign-ins is never overwritten; with auto-refill, the refill
 * settings and a missing `lastRefill`. LibreChat reads the record first and writes what differed;
 * writing the same values where they already match leaves the same document.
 *
 * `create`: the pipeline of the keyed upsert that may insert the record, so it also sets `user`
 * and LibreChat's schema defaults for fields a new record would otherwise lack (mongoose applies
 * no defaults to pipelines). Values are wrapped in $literal: a string is never read as a path.
 */
export function balanceSyncPipeline(user: Types.ObjectId, sync: BalanceSync, now: Date, create: boolean): UpdateStage[] {
  const set: Record<string, unknown> = {
    tokenCredits: { $ifNull: ['$tokenCredits', { $literal: sync.startBalance }] },
  };
  if (create) {
    set.user = { $literal: user };
    set.autoRefillEnabled = { $ifNull: ['$autoRefillEnabled', { $literal: BALANCE_DEFAULTS.autoRefillEnabled }] };
    set.refillIntervalValue = { $ifNull: ['$refillIntervalValue', { $literal: BALANCE_DEFAULTS.refillIntervalValue }] };
    set.refillIntervalUnit = { $ifNull: ['$refillIntervalUnit', { $literal: BALANCE_DEFAULTS.refillIntervalUnit }] };
    set.refillAmount = { $ifNull: ['$refillAmount', { $literal: BALANCE_DEFAULTS.refillAmount }] };
    set.lastRefill = { $ifNull: ['$lastRefill', { $literal: now }] };
  }
  const refill = sync.autoRefill;
  if (refill) {
    set.autoRefillEnabled = { $literal: true };
    set.refillIntervalValue = { $literal: refill.intervalValue };
    set.refillIntervalUnit = { $literal: refill.intervalUnit };
    set.refillAmount = { $literal: refill.amount };
    set.lastRefill = { $ifNull: ['$lastRefill', { $literal: now }] };
  }
  return [{ $set: set }];
}
