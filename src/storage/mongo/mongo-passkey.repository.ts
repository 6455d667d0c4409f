import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { randomUUID } from 'node:crypto';
import { Model } from 'mongoose';
import { NewPasskey, PasskeyRecord, PasskeyRepository } from '../ports';
import { isDuplicateKeyError } from './mongo-errors';
import { MongoIndexes } from './mongo-indexes';
import { PASSKEY_MODEL, PasskeyDoc } from './schemas/passkey.schema';

function toRecord(d: PasskeyDoc): PasskeyRecord {
  return {
    id: d._id,
    userId: d.userId,
    credentialId: d.credentialId,
    publicKey: d.publicKey,
    counter: d.counter,
    transports: [...(d.transports ?? [])],
    name: d.name,
    userHandle: d.userHandle,
    backedUp: d.backedUp === true,
    flaggedAt: d.flaggedAt ? new Date(d.flaggedAt) : null,
    createdAt: new Date(d.createdAt),
    lastUsedAt: d.lastUsedAt ? new Date(d.lastUsedAt) : null,
  };
}

/** Passkeys in `gatehouse_passkeys`; the unique credentialId index is ensured before use (MongoIndexes). */
@Injectable()
export class MongoPasskeyRepository extends PasskeyRepository {
  constructor(
    @InjectModel(PASSKEY_MODEL) private readonly passkeys: Model<PasskeyDoc>,
    _indexes: MongoIndexes,
  ) {
    super();
  }

  async add(p: NewPasskey): Promise<PasskeyRecord | null> {
    const doc: PasskeyDoc = { _id: randomUUID(), ...p, transports: [...p.transports], flaggedAt: null, lastUsedAt: null };
    try {
      await this.passkeys.create(doc);
    } catch (err) {
      if (isDuplicateKeyError(err)) return null;
      throw err;
    }
    return toRecord(doc);
  }

  async findByCredentialId(credentialId: string): Promise<PasskeyRecord | null> {
    const d = await this.passkeys.findOne({ credentialId }).lean<PasskeyDoc>().exec();
    return d ? toRecord(d) : null;
  }

  async listByUser(userId: string): Promise<PasskeyRecord[]> {
    const docs = await this.passkeys.find({ userId }).sort({ createdAt: 1, _id: 1 }).lean<PasskeyDoc[]>().exec();
    return docs.map(toRecord);
  }

  async rename(userId: string, id: string, name: string): Promise<PasskeyRecord | null> {
    const d = await this.passkeys.findOneAndUpdate({ _id: id, userId }, { $set: { name } }, { new: true }).lean<PasskeyDoc>().exec();
    return d ? toRecord(d) : null;
  }

  async remove(userId: string, id: string): Promise<boolean> {
    return (await this.passkeys.deleteOne({ _id: id, userId }).exec()).deletedCount === 1;
  }

  async removeAllOf(userId: string): Promise<number> {
    return (await this.passkeys.deleteMany({ userId }).exec()).deletedCount;
  }

  async recordUse(credentialId: string, expected: number, next: number, now: Date): Promise<boolean> {
    const result = await this.passkeys.updateOne({ credentialId, counter: expected, flaggedAt: null }, { $set: { counter: next, lastUsedAt: now } }).exec();
    return result.modifiedCount === 1 || (result.matchedCount === 1 && expected === next);
  }

  async flag(credentialId: string, now: Date): Promise<void> {
    await this.passkeys.updateOne({ credentialId, flaggedAt: null }, { $set: { flaggedAt: now } }).exec();
  }
}
