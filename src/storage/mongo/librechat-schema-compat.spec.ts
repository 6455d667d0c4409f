import mongoose, { Connection, Model, Schema, Types } from 'mongoose';
import { buildSessionInsert } from './session.mapping';
import { NO_USER_ID, buildTokenInsert, toTokenRecord } from './token.mapping';
import { buildUserInsert, buildUserUpdate, toUserRecord } from './user.mapping';
import { balanceSyncPipeline } from './balance.pipelines';
import { BalanceDoc, MONGO_MODEL_DEFINITIONS, SessionDoc, TokenDoc, UserDoc } from './schemas';

// LibreChat's published data layer: its models are what Gatehouse must stay compatible with.
const { createModels } = require('@librechat/data-schemas') as { createModels: (conn: Connection) => Record<string, Model<unknown>> };

type IndexSpec = [Record<string, unknown>, Record<string, unknown>];

/** Path options that decide what is stored and read: type, case folding, selection, defaults, requiredness. */
function pathShape(schema: Schema, path: string) {
  const type = schema.path(path) as unknown as { instance: string; options: Record<string, unknown>; isRequired?: boolean } | undefined;
  if (!type) return undefined;
  const def = type.options.default;
  return {
    instance: type.instance,
    lowercase: type.options.lowercase === true,
    select: type.options.select !== false,
    required: type.isRequired === true,
    default: typeof def === 'function' ? 'fn' : def,
    expires: type.options.expires,
  };
}

/** Options that must match for createIndex on the same key pattern not to fail (IndexOptionsConflict). */
function indexOptions(options: Record<string, unknown>) {
  const { background: _b, ...rest } = options;
  return rest;
}

describe("compatibility with LibreChat's @librechat/data-schemas models", () => {
  let libreChatConn: Connection;
  let ours: Connection;
  let lc: Record<string, Model<unknown>>;

  beforeAll(() => {
    libreChatConn = mongoose.createConnection();
    lc = createModels(libreChatConn);
    ours = mongoose.createConnection();
    for (const d of MONGO_MODEL_DEFINITIONS) ours.model(d.name, d.schema);
  });
  afterAll(async () => {
    await libreChatConn.close();
    await ours.close();
  });

  const shared = ['User', 'Session', 'Token', 'Balance'] as const;
  /** Fields Gatehouse adds to LibreChat's collections (LibreChat ignores them). */
  const gatehouseOnly: Record<string, string[]> = {
    // AD-08: written only as true on accounts an administrator disabled.
    User: ['disabled'],
    Session: ['previousTokenHash', 'rotatedAt', 'createdAt', 'lastUsedAt', 'userAgent', 'ip', 'provider'],
  };

  it('MB-20 uses the same model names and collections for users, sessions and tokens', () => {
    for (const name of shared) expect(ours.models[name].collection.collectionName).toBe(lc[name].collection.collectionName);
    expect(lc.User.collection.collectionName).toBe('users');
    expect(lc.Session.collection.collectionName).toBe('sessions');
    expect(lc.Token.collection.collectionName).toBe('tokens');
    expect(lc.Balance.collection.collectionName).toBe('balances');
  });

  it("MB-20 declares every field it reads or writes with LibreChat's type and options", () => {
    for (const name of shared) {
      const mine = ours.models[name].schema;
      const theirs = lc[name].schema;
      const compared: string[] = [];
      mine.eachPath((path) => {
        if (path === '_id' || path === '__v' || gatehouseOnly[name]?.includes(path)) return;
        compared.push(path);
        const expected = pathShape(theirs, path);
        expect({ path, shape: pathShape(mine, path) }).toEqual({ path, shape: expected });
      });
      expect(compared.length).toBeGreaterThanOrEqual(3);
      // Timestamps decide createdAt/updatedAt on users; both sides must agree.
      expect(Boolean(mine.get('timestamps'))).toBe(Boolean(theirs.get('timestamps')));
    }
  });

  it('MB-18 declares no index LibreChat has in another form (no IndexOptionsConflict either way)', () => {
    for (const name of shared) {
      const theirs = new Map((lc[name].schema.indexes() as IndexSpec[]).map(([k, o]) => [JSON.stringify(k), indexOptions(o)]));
      for (const [keys, options] of ours.models[name].schema.indexes() as IndexSpec[]) {
        const same = theirs.get(JSON.stringify(keys));
        if (same !== undefined) expect({ name, keys, options: indexOptions(options) }).toEqual({ name, keys, options: same });
      }
    }
    // The unique guarantees LibreChat relies on are declared by Gatehouse too.
    const ourUserIndexes = (ours.models.User.schema.indexes() as IndexSpec[]).map(([k]) => JSON.stringify(k));
    for (const field of ['email', 'googleId', 'facebookId', 'githubId', 'discordId']) {
      expect(ourUserIndexes).toContain(JSON.stringify({ [field]: 1, tenantId: 1 }));
    }
  });

  it("MB-20 documents Gatehouse writes validate against LibreChat's models", async () => {
    const userId = new Types.ObjectId();
    const user = buildUserInsert(
      {
        email: 'Ada@Example.com',
        name: 'Ada',
        username: 'ada',
        password: '$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234',
        provider: 'openid',
        openidId: 'sub-1',
        openidIssuer: 'https://idp/',
        idOnTheSource: 'oid',
      },
      'ADMIN',
      userId,
    );
    await expect(new lc.User(user).validate()).resolves.toBeUndefined();
    const session = buildSessionInsert(
      { userId: userId.toHexString(), tokenHash: 'a'.repeat(64), expiresAt: new Date(Date.now() + 60_000), userAgent: 'ua', ip: '::1', provider: 'local' },
      new Types.ObjectId(),
      userId,
      new Date(),
    );
    await expect(new lc.Session(session).validate()).resolves.toBeUndefined();
    for (const token of [
      buildTokenInsert(
        { userId: userId.toHexString(), type: 'password_reset', tokenHash: 'h', expiresAt: new Date(Date.now() + 60_000) },
        new Types.ObjectId(),
        new Date(),
      ),
      buildTokenInsert(
        { userId: null, email: 'INVITE@example.com', type: 'invite', tokenHash: 'h2', expiresAt: new Date(Date.now() + 60_000), metadata: { by: 'admin' } },
        new Types.ObjectId(),
        new Date(),
      ),
    ]) {
      await expect(new lc.Token(token).validate()).resolves.toBeUndefined();
    }
    // What LibreChat would store from them: nothing dropped, nothing recased.
    expect(new lc.User(user).toObject()).toMatchObject({
      email: 'ada@example.com',
      username: 'ada',
      role: 'ADMIN',
      openidIssuer: 'https://idp/',
      idOnTheSource: 'oid',
    });
  });

  it("MB-20 documents LibreChat writes (2FA fields included) read back and validate against Gatehouse's models", async () => {
    const doc = new lc.User({
      email: 'grace@example.com',
      name: 'Grace',
      password: 'hash',
      emailVerified: true,
      twoFactorEnabled: true,
      totpSecret: 'encrypted-secret',
      backupCodes: [{ codeHash: 'x', used: false, usedAt: null }],
      tenantId: undefined,
    }).toObject() as unknown as UserDoc & Record<string, unknown>;
    await expect(new ours.models.User(doc).validate()).resolves.toBeUndefined();
    expect(toUserRecord(doc)).toMatchObject({ email: 'grace@example.com', username: null, twoFactorEnabled: true, role: 'USER', provider: 'local' });
    // Gatehouse's updates name only the fields they change: LibreChat's 2FA state survives them.
    const update = buildUserUpdate({ name: 'Grace H', password: null });
    expect(update).toEqual({ $set: { name: 'Grace H' }, $unset: { password: 1 } });
    expect(JSON.stringify(update)).not.toMatch(/totpSecret|backupCodes/);

    const session = new lc.Session({
      refreshTokenHash: 'b'.repeat(64),
      expiration: new Date(Date.now() + 1000),
      user: doc._id,
    }).toObject() as unknown as SessionDoc;
    await expect(new ours.models.Session(session).validate()).resolves.toBeUndefined();
    const invite = new lc.Token({
      userId: new Types.ObjectId(),
      email: 'x@example.com',
      token: 'sha',
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 1000),
    }).toObject() as unknown as TokenDoc;
    await expect(new ours.models.Token(invite).validate()).resolves.toBeUndefined();
    expect(toTokenRecord(invite)).toMatchObject({ type: '', email: 'x@example.com' });
    expect(NO_USER_ID.toHexString()).toBe('000000000000000000000000');
  });

  it("BA-03 balances: LibreChat's refill units, and records either side writes validate on the other", async () => {
    const enumOf = (schema: Schema) => (schema.path('refillIntervalUnit') as unknown as { enumValues: string[] }).enumValues;
    expect(enumOf(ours.models.Balance.schema)).toEqual(enumOf(lc.Balance.schema));
    // What the keyed upsert inserts: the pipeline's $set evaluated on the empty document {_id}.
    const user = new Types.ObjectId();
    const now = new Date('2031-01-02T03:04:05Z');
    const [{ $set }] = balanceSyncPipeline(user, { startBalance: 700, autoRefill: { intervalValue: 3, intervalUnit: 'days', amount: 50 } }, now, true);
    const inserted: Record<string, unknown> = { _id: user };
    for (const [field, expr] of Object.entries($set as Record<string, Record<string, unknown>>)) {
      inserted[field] = '$literal' in expr ? expr.$literal : ((expr.$ifNull as unknown[])[1] as { $literal: unknown }).$literal;
    }
    expect(inserted).toEqual({
      _id: user,
      user,
      tokenCredits: 700,
      autoRefillEnabled: true,
      refillIntervalValue: 3,
      refillIntervalUnit: 'days',
      refillAmount: 50,
      lastRefill: now,
    });
    const asLibreChat = new lc.Balance(inserted);
    await expect(asLibreChat.validate()).resolves.toBeUndefined();
    expect(asLibreChat.toObject()).toMatchObject(inserted);
    const theirs = new lc.Balance({ user, tokenCredits: 10 }).toObject() as unknown as BalanceDoc;
    await expect(new ours.models.Balance(theirs).validate()).resolves.toBeUndefined();
    expect(new ours.models.Balance({ user }).toObject()).toMatchObject({
      tokenCredits: 0,
      autoRefillEnabled: false,
      refillIntervalValue: 30,
      refillIntervalUnit: 'days',
      refillAmount: 0,
    });
  });
});
