import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { BackupCodeRecord, TwoFactorRecord, TwoFactorRepository } from '../ports';
import { isDuplicateKeyError } from './mongo-errors';
import { toObjectId } from './object-id';
import { TOTP_STEP_MODEL, TotpStepDoc } from './schemas/totp-step.schema';
import { BackupCodeDoc, USER_MODEL, UserDoc } from './schemas/user.schema';

const SECOND_FACTOR_FIELDS = '+totpSecret +backupCodes +pendingTotpSecret +pendingBackupCodes';

function toCodes(codes: BackupCodeDoc[] | undefined | null): BackupCodeRecord[] {
  return (codes ?? []).map((c) => ({ codeHash: c.codeHash, used: c.used === true, usedAt: c.usedAt ? new Date(c.usedAt) : null }));
}

function fromCodes(codes: BackupCodeRecord[]): BackupCodeDoc[] {
  return codes.map((c) => ({ codeHash: c.codeHash, used: c.used, usedAt: c.usedAt }));
}

/**
 * The second factor in LibreChat's own fields of the `users` document, so either application
 * can read what the other wrote. Spending a backup code is one conditional positional update.
 */
@Injectable()
export class MongoTwoFactorRepository extends TwoFactorRepository {
  constructor(
    @InjectModel(USER_MODEL) private readonly users: Model<UserDoc>,
    @InjectModel(TOTP_STEP_MODEL) private readonly steps: Model<TotpStepDoc>,
  ) {
    super();
  }

  async find(userId: string): Promise<TwoFactorRecord | null> {
    const _id = toObjectId(userId);
    if (!_id) return null;
    const doc = await this.users.findOne({ _id }).select(SECOND_FACTOR_FIELDS).lean<UserDoc>().exec();
    if (!doc) return null;
    const step = await this.steps.findOne({ _id: userId }).lean<TotpStepDoc>().exec();
    return {
      enabled: doc.twoFactorEnabled === true,
      totpSecret: doc.totpSecret ?? null,
      backupCodes: toCodes(doc.backupCodes),
      pendingTotpSecret: doc.pendingTotpSecret ?? null,
      pendingBackupCodes: toCodes(doc.pendingBackupCodes),
      lastTotpStep: step ? step.step : null,
    };
  }

  async savePending(userId: string, totpSecret: string, backupCodes: BackupCodeRecord[]): Promise<boolean> {
    const _id = toObjectId(userId);
    if (!_id) return false;
    const result = await this.users.updateOne({ _id }, { $set: { pendingTotpSecret: totpSecret, pendingBackupCodes: fromCodes(backupCodes) } }).exec();
    return result.matchedCount === 1;
  }

  async activatePending(userId: string, expectedPendingSecret: string, totpStep: number): Promise<boolean> {
    const _id = toObjectId(userId);
    if (!_id) return false;
    const doc = await this.users.findOne({ _id, pendingTotpSecret: expectedPendingSecret }).select(SECOND_FACTOR_FIELDS).lean<UserDoc>().exec();
    if (!doc) return false;
    // Conditional on the pending secret read above: a concurrent re-enrolment makes this a no-op.
    const result = await this.users
      .updateOne(
        { _id, pendingTotpSecret: expectedPendingSecret },
        {
          $set: { totpSecret: expectedPendingSecret, backupCodes: doc.pendingBackupCodes ?? [], twoFactorEnabled: true },
          $unset: { pendingTotpSecret: 1, pendingBackupCodes: 1 },
        },
      )
      .exec();
    if (result.modifiedCount !== 1) return false;
    await this.steps.updateOne({ _id: userId }, { $set: { step: totpStep } }, { upsert: true }).exec();
    return true;
  }

  async replaceBackupCodes(userId: string, backupCodes: BackupCodeRecord[]): Promise<boolean> {
    const _id = toObjectId(userId);
    if (!_id) return false;
    const result = await this.users.updateOne({ _id }, { $set: { backupCodes: fromCodes(backupCodes) } }).exec();
    return result.matchedCount === 1;
  }

  async clear(userId: string): Promise<boolean> {
    const _id = toObjectId(userId);
    if (!_id) return false;
    // LibreChat's own disable leaves `totpSecret: null, backupCodes: []`; the same here.
    const result = await this.users
      .updateOne({ _id }, { $set: { totpSecret: null, backupCodes: [], twoFactorEnabled: false }, $unset: { pendingTotpSecret: 1, pendingBackupCodes: 1 } })
      .exec();
    await this.steps.deleteOne({ _id: userId }).exec();
    return result.matchedCount === 1;
  }

  async spendBackupCode(userId: string, codeHash: string, now: Date): Promise<boolean> {
    const _id = toObjectId(userId);
    if (!_id) return false;
    const result = await this.users
      .updateOne({ _id, backupCodes: { $elemMatch: { codeHash, used: false } } }, { $set: { 'backupCodes.$.used': true, 'backupCodes.$.usedAt': now } })
      .exec();
    return result.modifiedCount === 1;
  }

  async claimTotpStep(userId: string, step: number): Promise<boolean> {
    try {
      // The filter only matches an older step; when the stored one is not older, the upsert's
      // insert collides with the existing `_id` and the claim is refused.
      const result = await this.steps.updateOne({ _id: userId, step: { $lt: step } }, { $set: { step } }, { upsert: true }).exec();
      return result.modifiedCount === 1 || result.upsertedCount === 1;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}
