import { Types } from 'mongoose';
import { HEX, T0, dupError, fail, shape, useQueryRecorder, value } from '../../../test/support/mongo-query-recorder';
import { MongoBalanceRepository } from './mongo-balance.repository';
import { BalanceDoc } from './schemas';

/**
 * The exact documents the balance sync sends (no MongoDB here; the conformance suite runs the same
 * behaviour against a real server when MONGO_URI is set).
 */
const { queries, answer, modelOf } = useQueryRecorder();
const repo = () => new MongoBalanceRepository(modelOf<BalanceDoc>('Balance'));
const user = new Types.ObjectId(HEX);
const refill = { startBalance: 500, autoRefill: { intervalValue: 2, intervalUnit: 'weeks' as const, amount: 40 } };

describe('MongoBalanceRepository', () => {
  it('BA-02 updates an existing record (the oldest) with one pipeline that sets credits only where missing', async () => {
    answer(
      value({
        _id: new Types.ObjectId(),
        user,
        tokenCredits: 12,
        autoRefillEnabled: true,
        refillIntervalValue: 2,
        refillIntervalUnit: 'weeks',
        lastRefill: T0,
        refillAmount: 40,
      }),
    );
    expect(await repo().syncOnSignIn(HEX, refill, T0)).toEqual({
      userId: HEX,
      tokenCredits: 12,
      autoRefillEnabled: true,
      refillIntervalValue: 2,
      refillIntervalUnit: 'weeks',
      lastRefill: T0,
      refillAmount: 40,
    });
    expect(queries).toHaveLength(1);
    expect(shape(queries[0])).toEqual({
      op: 'findOneAndUpdate',
      filter: { user },
      update: [
        {
          $set: {
            tokenCredits: { $ifNull: ['$tokenCredits', { $literal: 500 }] },
            autoRefillEnabled: { $literal: true },
            refillIntervalValue: { $literal: 2 },
            refillIntervalUnit: { $literal: 'weeks' },
            refillAmount: { $literal: 40 },
            lastRefill: { $ifNull: ['$lastRefill', { $literal: T0 }] },
          },
        },
      ],
      options: expect.objectContaining({ sort: { _id: 1 }, returnDocument: 'after' }) as unknown,
    });
    expect(JSON.stringify(queries[0].getUpdate())).not.toMatch(/reserv|pendingRefill|\$inc/);
  });

  it('BA-01 creates a missing record keyed by the user id (one per user however many sign in at once), retrying a lost insert race', async () => {
    answer(
      value(null),
      fail(dupError({ _id: 1 })),
      value({
        _id: user,
        user,
        tokenCredits: 500,
        autoRefillEnabled: false,
        refillIntervalValue: 30,
        refillIntervalUnit: 'days',
        lastRefill: T0,
        refillAmount: 0,
      }),
    );
    expect(await repo().syncOnSignIn(HEX, { startBalance: 500, autoRefill: null }, T0)).toMatchObject({
      tokenCredits: 500,
      autoRefillEnabled: false,
      lastRefill: T0,
    });
    expect(queries).toHaveLength(3);
    expect(shape(queries[0]).update).toEqual([{ $set: { tokenCredits: { $ifNull: ['$tokenCredits', { $literal: 500 }] } } }]);
    for (const q of queries.slice(1)) {
      expect(shape(q)).toEqual({
        op: 'findOneAndUpdate',
        filter: { _id: user },
        update: [
          {
            $set: {
              tokenCredits: { $ifNull: ['$tokenCredits', { $literal: 500 }] },
              user: { $literal: user },
              autoRefillEnabled: { $ifNull: ['$autoRefillEnabled', { $literal: false }] },
              refillIntervalValue: { $ifNull: ['$refillIntervalValue', { $literal: 30 }] },
              refillIntervalUnit: { $ifNull: ['$refillIntervalUnit', { $literal: 'days' }] },
              refillAmount: { $ifNull: ['$refillAmount', { $literal: 0 }] },
              lastRefill: { $ifNull: ['$lastRefill', { $literal: T0 }] },
            },
          },
        ],
        options: expect.objectContaining({ upsert: true, returnDocument: 'after' }) as unknown,
      });
    }
  });

  it('reads the oldest record, maps a record without credits to null and an unknown id to none', async () => {
    answer(value({ _id: user, user, tokenCredits: null }));
    expect(await repo().find(HEX)).toEqual({
      userId: HEX,
      tokenCredits: null,
      autoRefillEnabled: false,
      refillIntervalValue: 30,
      refillIntervalUnit: 'days',
      lastRefill: null,
      refillAmount: 0,
    });
    expect(shape(queries[0])).toMatchObject({ op: 'findOne', filter: { user }, options: { sort: { _id: 1 } } });
    expect(await repo().find('not-an-id')).toBeNull();
    await expect(repo().syncOnSignIn('not-an-id', refill, T0)).rejects.toThrow(/ObjectId/);
  });

  it('deletes by user (every record an older LibreChat may have left)', async () => {
    answer(value({ deletedCount: 2 }));
    expect(await repo().deleteFor(HEX)).toBe(2);
    expect(shape(queries[0])).toMatchObject({ op: 'deleteMany', filter: { user } });
    expect(await repo().deleteFor('nope')).toBe(0);
  });
});
