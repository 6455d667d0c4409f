import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { IdpTokenVault, SealedIdpTokens } from '../ports';
import { TokenCipher } from '../token-cipher';
import { retryOnDuplicateKey } from './mongo-errors';
import { MongoIndexes } from './mongo-indexes';
import { IDP_TOKEN_MODEL, IdpTokenDoc } from './schemas/idp-token.schema';

/** Stores ciphertext only; sealing and opening happen in IdpTokenVault. */
@Injectable()
export class MongoIdpTokenVault extends IdpTokenVault {
  constructor(
    @Inject(TokenCipher) cipher: TokenCipher,
    @InjectModel(IDP_TOKEN_MODEL) private readonly tokens: Model<IdpTokenDoc>,
    _indexes: MongoIndexes,
  ) {
    super(cipher);
  }

  async delete(userId: string, provider?: string): Promise<number> {
    const filter = provider === undefined ? { userId } : { userId, provider };
    const result = await this.tokens.deleteMany(filter).exec();
    return result.deletedCount;
  }

  protected async writeSealed(row: SealedIdpTokens): Promise<void> {
    const { userId, provider, sealed, expiresAt, updatedAt } = row;
    await retryOnDuplicateKey(() => this.tokens.updateOne({ userId, provider }, { $set: { sealed, expiresAt, updatedAt } }, { upsert: true }).exec());
  }

  protected async readSealed(userId: string, provider: string): Promise<SealedIdpTokens | null> {
    const doc = await this.tokens.findOne({ userId, provider }).lean<IdpTokenDoc>().exec();
    if (!doc) return null;
    return { userId: doc.userId, provider: doc.provider, sealed: doc.sealed, expiresAt: doc.expiresAt ?? null, updatedAt: doc.updatedAt };
  }
}
