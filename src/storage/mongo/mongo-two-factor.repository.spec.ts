import { Types } from 'mongoose';
import { HEX, T0, dupError, fail, shape, useQueryRecorder, value } from '../../../test/support/mongo-query-recorder';
import { MongoTwoFactorRepository } from './mongo-two-factor.repository';
import { TotpStepDoc, UserDoc } from './schemas';

/**
 * No MongoDB here: the queries mongoose would send are recorded and answered by the test, so the
 * atomic forms (conditional positional update, guarded upsert) are checked in their exact shape.
 * The conformance suite runs the same behaviour against a real server when MONGO_URI is set.
 */
const { queries, answer, modelOf } = useQueryRecorder();
const repo = () => new MongoTwoFactorRepository(modelOf<UserDoc>('User'), modelOf<TotpStepDoc>('GatehouseTotpStep'));
const _id = new Types.ObjectId(HEX);

describe('MongoTwoFactorRepository', () => {
  it("reads LibreChat's select:false fields and maps the last step from its own collection", async () => {
    answer(
      value({ _id, twoFactorEnabled: true, totpSecret: 'v3:aa:bb', backupCodes: [{ codeHash: 'h', used: true, usedAt: T0 }], pendingTotpSecret: null }),
      value({ _id: HEX, step: 42 }),
    );
    expect(await repo().find(HEX)).toEqual({
      enabled: true,
      totpSecret: 'v3:aa:bb',
      backupCodes: [{ codeHash: 'h', used: true, usedAt: T0 }],
      pendingTotpSecret: null,
      pendingBackupCodes: [],
      lastTotpStep: 42,
    });
    expect((queries[0] as unknown as { _fields: Record<string, number> })._fields).toMatchObject({
      '+totpSecret': 1,
      '+backupCodes': 1,
      '+pendingTotpSecret': 1,
      '+pendingBackupCodes': 1,
    });
    expect(await repo().find('not-an-id')).toBeNull();
  });

  it('spends a backup code with one conditional positional update', async () => {
    answer(value({ matchedCount: 1, modifiedCount: 1 }), value({ matchedCount: 0, modifiedCount: 0 }));
    expect(await repo().spendBackupCode(HEX, 'hash', T0)).toBe(true);
    expect(shape(queries[0])).toMatchObject({
      op: 'updateOne',
      filter: { _id, backupCodes: { $elemMatch: { codeHash: 'hash', used: false } } },
      update: { $set: { 'backupCodes.$.used': true, 'backupCodes.$.usedAt': T0 } },
    });
    expect(await repo().spendBackupCode(HEX, 'hash', T0)).toBe(false);
  });

  it('claims a TOTP step with a guarded upsert; a duplicate key means an equal or later step is stored', async () => {
    answer(value({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 }), fail(dupError({ _id: 1 })));
    expect(await repo().claimTotpStep(HEX, 7)).toBe(true);
    expect(shape(queries[0])).toMatchObject({
      op: 'updateOne',
      filter: { _id: HEX, step: { $lt: 7 } },
      update: { $set: { step: 7 } },
      options: { upsert: true },
    });
    expect(await repo().claimTotpStep(HEX, 7)).toBe(false);
  });

  it('activates only the expected pending secret and clears like LibreChat (totpSecret null, backupCodes [])', async () => {
    answer(
      value({ _id, pendingTotpSecret: 'v3:p', pendingBackupCodes: [{ codeHash: 'x', used: false, usedAt: null }] }),
      value({ matchedCount: 1, modifiedCount: 1 }),
      value({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 }),
    );
    expect(await repo().activatePending(HEX, 'v3:p', 9)).toBe(true);
    expect(shape(queries[1])).toMatchObject({
      op: 'updateOne',
      filter: { _id, pendingTotpSecret: 'v3:p' },
      update: { $set: { totpSecret: 'v3:p', twoFactorEnabled: true }, $unset: { pendingTotpSecret: 1, pendingBackupCodes: 1 } },
    });
    queries.length = 0;
    answer(value({ matchedCount: 1, modifiedCount: 1 }), value({ deletedCount: 1 }));
    expect(await repo().clear(HEX)).toBe(true);
    expect(shape(queries[0])).toMatchObject({ update: { $set: { totpSecret: null, backupCodes: [], twoFactorEnabled: false } } });
  });
});
