import { PipelineStage } from 'mongoose';

/**
 * Update pipelines evaluate every expression of one `$set` stage against the document as it was
 * before the stage, so `score` and `expiresAt` below both see the old `expiresAt`. A missing
 * document (upsert) has no `expiresAt`, and missing sorts below any date, so it counts as expired.
 *
 * Mongoose does not cast pipelines: every value here must already be a Date or a number, and
 * strings are wrapped in $literal so a leading '$' is never read as a field path.
 */
type UpdateStage = Extract<PipelineStage, { $set: unknown }>;

function isLive(now: Date) {
  return { $gt: ['$expiresAt', { $literal: now }] };
}

/**
 * addViolation: add `score` to a live total or start again at `score`; either way the total now
 * lives `ttlMs` from `now`, so it decays only after a quiet period (MB-05).
 */
export function addViolationPipeline(score: number, ttlMs: number, now: Date): UpdateStage[] {
  const live = isLive(now);
  return [
    {
      $set: {
        score: { $cond: [live, { $add: [{ $ifNull: ['$score', 0] }, { $literal: score }] }, { $literal: score }] },
        expiresAt: { $literal: new Date(now.getTime() + ttlMs) },
      },
    },
  ];
}

/**
 * increment: a fixed window. A live counter grows and keeps its expiry; an expired or missing one
 * restarts at `by` with a new window. A live value written by `set` counts as its numeric text.
 * The second stage renders the number into `value`, so `get` reads counters like any other key.
 */
export function incrementPipeline(by: number, ttlMs: number, now: Date): UpdateStage[] {
  const live = isLive(now);
  const current = {
    $ifNull: ['$counter', { $convert: { input: '$value', to: 'double', onError: 0, onNull: 0 } }],
  };
  return [
    {
      $set: {
        counter: { $cond: [live, { $add: [current, { $literal: by }] }, { $literal: by }] },
        expiresAt: { $cond: [live, '$expiresAt', { $literal: new Date(now.getTime() + ttlMs) }] },
      },
    },
    { $set: { value: { $toString: '$counter' } } },
  ];
}
