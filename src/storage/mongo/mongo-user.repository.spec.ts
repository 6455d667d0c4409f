import { Model, Types } from 'mongoose';
import { HEX, T0, dupError, fail, opOf, shape, useQueryRecorder, value } from '../../../test/support/mongo-query-recorder';
import { DuplicateUserError } from '../ports';
import { MongoIndexes } from './mongo-indexes';
import { assertSingleTenant } from './tenant-guard';
import { MongoUserRepository } from './mongo-user.repository';
import { MetaDoc, UserDoc } from './schemas';

/**
 * Runs the user repository against real mongoose models on a connection that never connects, with
 * `Query.prototype.exec` replaced: each test sees exactly the query mongoose would send (op,
 * filter, update, options, projection) and decides what the "server" answers.
 */
const { queries, answer, modelOf } = useQueryRecorder();
const indexes = new MongoIndexes([]);

describe('MongoUserRepository', () => {
  const repo = () => new MongoUserRepository(modelOf<UserDoc>('User'), modelOf<MetaDoc>('GatehouseMeta'), indexes);
  const userDoc = { _id: new Types.ObjectId(HEX), email: 'a@b.c', emailVerified: false, provider: 'local', password: 'hash' };

  it('answers null/false for ids that are not ObjectIds, without querying', async () => {
    expect(await repo().findById('user-1')).toBeNull();
    expect(await repo().update('user-1', { name: 'x' })).toBeNull();
    expect(await repo().delete('user-1')).toBe(false);
    expect(queries).toHaveLength(0);
  });

  it('reads with the select:false password and a canonical email', async () => {
    answer(value(userDoc));
    expect((await repo().findByEmail('  A@B.C '))?.password).toBe('hash');
    expect(opOf(queries[0])).toBe('findOne');
    expect(queries[0].getFilter()).toEqual({ email: 'a@b.c' });
    expect(queries[0].projection()).toEqual({ '+password': 1 });
    expect(queries[0].mongooseOptions().lean).toBeTruthy();
  });

  it('filters provider ids with or without the OpenID issuer', async () => {
    await repo().findByProviderId('openidId', 'sub', null);
    await repo().findByProviderId('openidId', 'sub', 'https://idp');
    await repo().findByProviderId('openidId', 'sub');
    await repo().findByProviderId('googleId', 'g', 'https://idp');
    expect(queries.map((q) => q.getFilter())).toEqual([
      { openidId: 'sub', openidIssuer: { $in: [null, ''] } },
      { openidId: 'sub', openidIssuer: 'https://idp' },
      { openidId: 'sub' },
      { googleId: 'g' },
    ]);
  });

  it('updates with $set/$unset on named fields and returns the new document', async () => {
    answer(value({ ...userDoc, name: 'N' }));
    const updated = await repo().update(HEX, { name: 'N', googleId: null });
    expect(updated?.name).toBe('N');
    const q = queries[0];
    expect(opOf(q)).toBe('findOneAndUpdate');
    expect(q.getFilter()).toEqual({ _id: new Types.ObjectId(HEX) });
    expect(q.getUpdate()).toEqual({ $set: { name: 'N' }, $unset: { googleId: 1 } });
    expect(q.getOptions()).toMatchObject({ returnDocument: 'after' });
    expect(q.projection()).toEqual({ '+password': 1 });
  });

  it('turns a duplicate key on update into DuplicateUserError(field)', async () => {
    answer(fail(dupError({ googleId: 1, tenantId: 1 })));
    await expect(repo().update(HEX, { googleId: 'g' })).rejects.toEqual(new DuplicateUserError('googleId'));
  });

  it('gives firstUserRole only to the caller whose marker insert succeeds', async () => {
    const users = modelOf<UserDoc>('User') as unknown as { create: (doc: unknown) => Promise<unknown> };
    const meta = modelOf<MetaDoc>('GatehouseMeta') as unknown as { create: (doc: unknown) => Promise<unknown> };
    const created = (doc: Record<string, unknown>) => ({ toObject: () => ({ ...doc, createdAt: T0, updatedAt: T0 }) });
    jest.spyOn(users, 'create').mockImplementation(async (doc) => created(doc as Record<string, unknown>));
    const metaCreate = jest
      .spyOn(meta, 'create')
      .mockResolvedValueOnce({})
      .mockRejectedValueOnce(dupError({ _id: 1 }));

    const r = repo();
    answer(value(0));
    expect((await r.create({ email: 'first@x.y' }, { firstUserRole: 'ADMIN' })).role).toBe('ADMIN');
    expect(metaCreate.mock.calls[0][0]).toMatchObject({ _id: 'first-user' });
    answer(value(0));
    expect((await r.create({ email: 'second@x.y', role: 'MODERATOR' }, { firstUserRole: 'ADMIN' })).role).toBe('MODERATOR');
    // Once the marker is known to exist, neither a count nor a marker insert is needed (PW-12).
    expect((await r.create({ email: 'third@x.y' }, { firstUserRole: 'ADMIN' })).role).toBe('USER');
    expect(metaCreate).toHaveBeenCalledTimes(2);
    expect(queries.map((q) => [opOf(q), q.getFilter()])).toEqual([
      ['countDocuments', {}],
      ['countDocuments', {}],
      ['updateOne', { _id: 'first-user' }],
    ]);
    expect((await r.create({ email: 'nocount@x.y' })).role).toBe('USER');
    expect(queries).toHaveLength(3);
    // A fresh repository (another process) that creates an account without firstUserRole still leaves the marker.
    expect((await repo().create({ email: 'social@x.y' })).role).toBe('USER');
    expect(queries.map((q) => [opOf(q), q.getFilter(), q.getUpdate()])[3]).toEqual([
      'updateOne',
      { _id: 'first-user' },
      { $setOnInsert: expect.objectContaining({ at: expect.any(Date) }) },
    ]);
  });

  it('releases the first-user marker when the winning insert fails', async () => {
    jest.spyOn(modelOf<UserDoc>('User') as unknown as { create: () => Promise<unknown> }, 'create').mockRejectedValue(dupError({ email: 1, tenantId: 1 }));
    jest.spyOn(modelOf<MetaDoc>('GatehouseMeta') as unknown as { create: () => Promise<unknown> }, 'create').mockResolvedValue({});
    answer(value(0), value({ deletedCount: 1 }));
    await expect(repo().create({ email: 'x@y.z' }, { firstUserRole: 'ADMIN' })).rejects.toEqual(new DuplicateUserError('email'));
    expect(opOf(queries[1])).toBe('deleteOne');
    expect(queries[1].getFilter()).toMatchObject({ _id: 'first-user' });
  });

  it('deletes expired accounts at the date itself, not 7 days later', async () => {
    answer(value({ deletedCount: 2 }));
    expect(await repo().deleteExpired(T0)).toBe(2);
    expect(shape(queries[0])).toMatchObject({ op: 'deleteMany', filter: { expiresAt: { $lte: T0 } } });
  });

  it('lists by creation time with offset and limit', async () => {
    answer(value([]));
    await repo().list({ limit: 2, offset: 4 });
    expect(queries[0].getOptions()).toMatchObject({ sort: { createdAt: 1, _id: 1 }, skip: 4, limit: 2 });
  });

  it('MB-22 list({limit: 0}) sends no query (MongoDB would read limit 0 as "all"); usernames are $set lower-cased', async () => {
    expect(await repo().list({ limit: 0 })).toEqual([]);
    expect(queries).toHaveLength(0);
    await repo().update(HEX, { username: 'MiXed', name: null });
    expect(shape(queries[0])).toMatchObject({
      op: 'findOneAndUpdate',
      filter: { _id: new Types.ObjectId(HEX) },
      update: { $set: { username: 'mixed' }, $unset: { name: 1 } },
      options: { returnDocument: 'after' },
    });
  });
});

describe('assertSingleTenant', () => {
  it('MB-23 refuses a multi-tenant LibreChat database at boot with a clear message, with one indexed query', async () => {
    const users = modelOf<UserDoc>('User') as unknown as Model<unknown>;
    answer(value(null));
    await expect(assertSingleTenant(users)).resolves.toBeUndefined();
    expect(shape(queries[0])).toMatchObject({ op: 'findOne', filter: { tenantId: { $exists: true, $nin: [null, ''] } } });
    answer(value({ _id: new Types.ObjectId(HEX) }));
    await expect(assertSingleTenant(users)).rejects.toThrow(/multi-tenant LibreChat database \(users carry tenantId\)/);
  });
});
