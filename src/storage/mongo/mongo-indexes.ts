import { Logger, OnApplicationBootstrap, OnModuleDestroy, Provider } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { IndexDirection, IndexOptions, Model } from 'mongoose';
import { MONGO_MODEL_DEFINITIONS, USER_MODEL } from './schemas';
import { assertSingleTenant } from './tenant-guard';

/**
 * Server codes meaning "an index with this key or name already exists in another form, or cannot
 * be built over the data LibreChat left": IndexAlreadyExists, IndexOptionsConflict,
 * IndexKeySpecsConflict, DuplicateKey. On a database LibreChat created these are expected
 * (an older LibreChat's unique `email_1`, a `logs` collection with duplicate keys), so the
 * existing index is kept and the boot goes on without an error (MB-18).
 */
const EXPECTED_ON_LIBRECHAT_DB = new Set([68, 85, 86, 11000, 11001]);

export interface IndexSpec {
  collection: string;
  fields: Record<string, IndexDirection>;
  options: IndexOptions;
}

/** What an index build needs of a model: its schema's declared indexes and a way to create one. */
export interface IndexTarget {
  schema: { indexes(): Array<[Record<string, unknown>, Record<string, unknown>]> };
  collection: { collectionName: string; createIndex(fields: Record<string, IndexDirection>, options: IndexOptions): Promise<unknown> };
}

/**
 * Unique indexes guard correctness (one account per email or provider id, one violation counter
 * per subject): they are ensured before the repositories exist. Every other index only speeds
 * lookups up or collects garbage, and is built in the background once the app has started.
 */
export function planIndexes(targets: IndexTarget[]): { essential: IndexSpec[]; background: IndexSpec[] } {
  const essential: IndexSpec[] = [];
  const background: IndexSpec[] = [];
  for (const target of targets) {
    for (const [fields, options] of target.schema.indexes()) {
      const spec = { collection: target.collection.collectionName, fields: fields as IndexSpec['fields'], options: { ...options } as IndexOptions };
      (options.unique === true ? essential : background).push(spec);
    }
  }
  return { essential, background };
}

export interface IndexFailure {
  collection: string;
  index: string;
  error: string;
}

/**
 * Resolves once the essential indexes exist (or exist in LibreChat's form). Repositories inject it
 * only to be constructed after that; the rest is started by `onApplicationBootstrap` and not
 * awaited, so the server listens without waiting for index builds on a large collection.
 */
export class MongoIndexes implements OnApplicationBootstrap, OnModuleDestroy {
  private backgroundRun: Promise<IndexFailure[]> | null = null;
  private stopped = false;

  constructor(
    /** Essential indexes that could not be ensured for another reason than LibreChat's form. */
    readonly failures: ReadonlyArray<IndexFailure>,
    private readonly startBackground: (running: () => boolean) => Promise<IndexFailure[]> = () => Promise.resolve([]),
  ) {}

  onApplicationBootstrap(): void {
    void this.background();
  }

  /** The background build's outcome (started on first call); tests wait for it. */
  background(): Promise<IndexFailure[]> {
    this.backgroundRun ??= this.startBackground(() => !this.stopped);
    return this.backgroundRun;
  }

  /** Shutdown does not wait for a long build: the indexes not yet started are left for the next boot. */
  onModuleDestroy(): void {
    this.stopped = true;
  }
}

/** Creates each index; never throws. Expected conflicts are noted at log level, others warned. */
export async function ensureIndexes(specs: IndexSpec[], targets: IndexTarget[], logger: Logger, running: () => boolean = () => true): Promise<IndexFailure[]> {
  const byCollection = new Map(targets.map((t) => [t.collection.collectionName, t.collection]));
  const failures: IndexFailure[] = [];
  for (const spec of specs) {
    if (!running()) break;
    const index = indexName(spec);
    try {
      await byCollection.get(spec.collection)?.createIndex(spec.fields, spec.options);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'number' && EXPECTED_ON_LIBRECHAT_DB.has(code)) {
        logger.log(`index ${spec.collection}.${index} kept in its existing form (code ${code})`);
        continue;
      }
      failures.push({ collection: spec.collection, index, error: String(err) });
      logger.warn(`index ${spec.collection}.${index} could not be built: ${String(err)}`);
    }
  }
  return failures;
}

function indexName(spec: IndexSpec): string {
  return typeof spec.options.name === 'string'
    ? spec.options.name
    : Object.entries(spec.fields)
        .map(([k, v]) => `${k}_${String(v)}`)
        .join('_');
}

export const mongoIndexesProvider: Provider = {
  provide: MongoIndexes,
  inject: MONGO_MODEL_DEFINITIONS.map((definition) => getModelToken(definition.name)),
  useFactory: async (...models: Model<unknown>[]): Promise<MongoIndexes> => {
    const logger = new Logger('MongoStorage');
    const users = models.find((model) => model.modelName === USER_MODEL);
    if (users) await assertSingleTenant(users);
    const targets = models as unknown as IndexTarget[];
    const plan = planIndexes(targets);
    const failures = await ensureIndexes(plan.essential, targets, logger);
    return new MongoIndexes(failures, (running) => ensureIndexes(plan.background, targets, logger, running));
  },
};
