import mongoose, { Connection, Model, Query } from 'mongoose';
import { MONGO_MODEL_DEFINITIONS } from '../../src/storage/mongo/schemas';

/**
 * Unit-test scaffolding for the mongo repositories: real mongoose models on a connection that never
 * connects, with `Query.prototype.exec` replaced, so each test sees exactly the query mongoose would
 * send (op, filter, update, options, projection) and decides what the "server" answers.
 *
 * Lives under test/ (not src/) because it uses jest globals, and src/ non-spec files are compiled
 * into dist without jest types.
 */
export type AnyQuery = Query<unknown, unknown>;
export type Answer = (query: AnyQuery) => unknown;

export const HEX = '65f0a1b2c3d4e5f601234567';
export const T0 = new Date('2031-03-04T05:06:07.000Z');
export const dupError = (keyPattern: Record<string, number>) => Object.assign(new Error('E11000 duplicate key error'), { code: 11000, keyPattern });

export const opOf = (q: AnyQuery) => (q as unknown as { op: string }).op;
export const value =
  (v: unknown): Answer =>
  () =>
    v;
export const fail =
  (err: unknown): Answer =>
  () => {
    throw err;
  };
export const shape = (q: AnyQuery) => ({ op: opOf(q), filter: q.getFilter(), update: q.getUpdate(), options: q.getOptions() });

export interface QueryRecorder {
  /**
   * Every query executed in the current test, in order. The same array for the whole file: it is
   * emptied in place before each test (and may be emptied by a test with `queries.length = 0`).
   */
  readonly queries: AnyQuery[];
  /** Queue what the "server" answers to the next queries; once the queue is empty, queries resolve to null. */
  answer(...values: Answer[]): void;
  /** The registered model, typed as the repository expects it. */
  modelOf<T>(name: string): Model<T>;
}

/**
 * Registers the beforeAll/afterAll/beforeEach/afterEach hooks of the recorder in the calling spec
 * file (call it once, at the top level) and returns its accessors.
 */
export function useQueryRecorder(): QueryRecorder {
  let conn: Connection | undefined;
  const queries: AnyQuery[] = [];
  const answers: Answer[] = [];

  beforeAll(() => {
    conn = mongoose.createConnection();
    for (const d of MONGO_MODEL_DEFINITIONS) conn.model(d.name, d.schema);
  });

  afterAll(async () => {
    await conn?.close();
  });

  beforeEach(() => {
    queries.length = 0;
    answers.length = 0;
    jest.spyOn(mongoose.Query.prototype, 'exec').mockImplementation(function (this: AnyQuery) {
      queries.push(this);
      const answer = answers.shift();
      if (!answer) return Promise.resolve(null);
      try {
        return Promise.resolve(answer(this));
      } catch (err) {
        return Promise.reject(err);
      }
    } as never);
  });

  afterEach(() => jest.restoreAllMocks());

  return {
    queries,
    answer: (...values) => {
      answers.push(...values);
    },
    modelOf<T>(name: string): Model<T> {
      if (!conn) throw new Error('useQueryRecorder: modelOf() called before beforeAll ran');
      return conn.models[name] as unknown as Model<T>;
    },
  };
}
