import { Logger, Provider } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { MONGO_MODEL_DEFINITIONS } from './schemas';

/**
 * Resolves once every model's collection and indexes exist. Mongoose starts building indexes
 * when a model is created but does not wait for them, and Nest's `compile()` runs no lifecycle
 * hooks; without this, the first writes on a fresh database could run before the unique indexes
 * (email, provider ids, first-user marker) exist, and a race would go undetected.
 * Repositories inject it only to be constructed after it resolves.
 */
export class MongoIndexes {
  constructor(
    /** Collections whose index setup failed, with the reason (logged at startup). */
    readonly failures: ReadonlyArray<{ collection: string; error: string }>,
  ) {}
}

export const mongoIndexesProvider: Provider = {
  provide: MongoIndexes,
  inject: MONGO_MODEL_DEFINITIONS.map((definition) => getModelToken(definition.name)),
  useFactory: async (...models: Model<unknown>[]): Promise<MongoIndexes> => {
    const logger = new Logger('MongoStorage');
    const results = await Promise.allSettled(models.map((model) => model.init()));
    const failures = results.flatMap((result, i) =>
      result.status === 'rejected' ? [{ collection: models[i].collection.collectionName, error: String(result.reason) }] : [],
    );
    // Not fatal: on a LibreChat database an index may already exist with other options
    // (IndexOptionsConflict) or be unbuildable over existing duplicates. LibreChat runs on in
    // that state too, but the operator should know which guarantee is missing.
    for (const failure of failures) logger.error(`index setup for ${failure.collection} failed: ${failure.error}`);
    return new MongoIndexes(failures);
  },
};
