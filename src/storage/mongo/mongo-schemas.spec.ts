import mongoose, { Schema, Types } from 'mongoose';
import { buildSessionInsert } from './session.mapping';
import { buildTokenInsert } from './token.mapping';
import { buildUserInsert } from './user.mapping';
import {
  BanLogSchema,
  IdpTokenSchema,
  KeyValueSchema,
  MONGO_MODEL_DEFINITIONS,
  MetaSchema,
  OutboxSchema,
  SessionSchema,
  TokenSchema,
  UserSchema,
  ViolationSchema,
} from './schemas';

type IndexSpec = [Record<string, unknown>, Record<string, unknown>];

/** Indexes as mongoose will send them to createIndex, in a stable order for comparison. */
function indexesOf(schema: Schema): IndexSpec[] {
  return (schema.indexes() as IndexSpec[])
    .map(([fields, options]): IndexSpec => [fields, { ...options }])
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function sorted(specs: IndexSpec[]): IndexSpec[] {
  return [...specs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function pathOptions(schema: Schema, path: string): Record<string, unknown> {
  const type = schema.path(path) as unknown as { options: Record<string, unknown>; instance: string } | undefined;
  if (!type) throw new Error(`schema has no path ${path}`);
  return { ...type.options, instance: type.instance };
}

describe('Mongo schemas', () => {
  it('registers LibreChat model names and every collection, LibreChat ones unprefixed', () => {
    const collections = Object.fromEntries(MONGO_MODEL_DEFINITIONS.map((d) => [d.name, (d.schema as Schema).get('collection')]));
    expect(collections).toEqual({
      User: 'users',
      Session: 'sessions',
      Token: 'tokens',
      GatehouseBanLog: 'logs',
      GatehouseViolation: 'gatehouse_violations',
      GatehouseKeyValue: 'gatehouse_kv',
      GatehouseOutbox: 'gatehouse_outbox',
      GatehouseIdpToken: 'gatehouse_idp_tokens',
      GatehouseMeta: 'gatehouse_meta',
      GatehouseTotpStep: 'gatehouse_totp_steps',
      Balance: 'balances',
      GatehousePasskey: 'gatehouse_passkeys',
      GatehouseAuditEvent: 'gatehouse_audit',
    });
  });

  describe('users', () => {
    it('declares LibreChat field options (select: false password, lowercase email, defaults)', () => {
      expect(pathOptions(UserSchema, 'password')).toMatchObject({ instance: 'String', select: false });
      expect(pathOptions(UserSchema, 'email')).toMatchObject({ instance: 'String', required: true, lowercase: true, index: true });
      expect(pathOptions(UserSchema, 'username')).toMatchObject({ lowercase: true, default: '' });
      expect(pathOptions(UserSchema, 'emailVerified')).toMatchObject({ instance: 'Boolean', required: true, default: false });
      expect(pathOptions(UserSchema, 'provider')).toMatchObject({ required: true, default: 'local' });
      expect(pathOptions(UserSchema, 'role')).toMatchObject({ default: 'USER' });
      expect(pathOptions(UserSchema, 'twoFactorEnabled')).toMatchObject({ instance: 'Boolean', default: false });
      expect(pathOptions(UserSchema, 'termsAccepted')).toMatchObject({ instance: 'Boolean', default: false });
      expect(pathOptions(UserSchema, 'expiresAt')).toMatchObject({ instance: 'Date', expires: 604800 });
      expect(pathOptions(UserSchema, 'plugins')).toMatchObject({ instance: 'Array' });
      for (const field of [
        'name',
        'avatar',
        'googleId',
        'facebookId',
        'openidId',
        'openidIssuer',
        'githubId',
        'discordId',
        'ldapId',
        'appleId',
        'samlId',
        'idOnTheSource',
      ]) {
        expect(pathOptions(UserSchema, field)).toMatchObject({ instance: 'String' });
      }
      expect(UserSchema.get('timestamps')).toBe(true);
    });

    it('declares exactly LibreChat-compatible indexes', () => {
      const partial = (field: string) => ({ unique: true, partialFilterExpression: { [field]: { $exists: true } } });
      expect(indexesOf(UserSchema)).toEqual(
        sorted([
          [{ email: 1 }, {}],
          [{ expiresAt: 1 }, { expireAfterSeconds: 604800 }],
          [{ email: 1, tenantId: 1 }, { unique: true }],
          [{ openidId: 1, openidIssuer: 1, tenantId: 1 }, { ...partial('openidId') }],
          [{ googleId: 1, tenantId: 1 }, { ...partial('googleId') }],
          [{ facebookId: 1, tenantId: 1 }, { ...partial('facebookId') }],
          [{ githubId: 1, tenantId: 1 }, { ...partial('githubId') }],
          [{ discordId: 1, tenantId: 1 }, { ...partial('discordId') }],
          [{ samlId: 1, tenantId: 1 }, { ...partial('samlId') }],
          [{ ldapId: 1, tenantId: 1 }, { ...partial('ldapId') }],
          [{ appleId: 1, tenantId: 1 }, { ...partial('appleId') }],
        ]),
      );
    });
  });

  it('sessions keep LibreChat names and TTL, plus lookup indexes', () => {
    expect(pathOptions(SessionSchema, 'refreshTokenHash')).toMatchObject({ instance: 'String', required: true });
    expect(pathOptions(SessionSchema, 'expiration')).toMatchObject({ instance: 'Date', required: true, expires: 0 });
    expect(pathOptions(SessionSchema, 'user')).toMatchObject({ instance: 'ObjectId', required: true, ref: 'User' });
    for (const field of ['previousTokenHash', 'userAgent', 'ip', 'provider']) {
      expect(pathOptions(SessionSchema, field)).toMatchObject({ instance: 'String' });
    }
    for (const field of ['rotatedAt', 'createdAt', 'lastUsedAt']) {
      expect(pathOptions(SessionSchema, field)).toMatchObject({ instance: 'Date' });
    }
    expect(SessionSchema.get('timestamps')).toBeFalsy();
    expect(indexesOf(SessionSchema)).toEqual(
      sorted([
        [{ refreshTokenHash: 1 }, {}],
        [{ expiration: 1 }, { expireAfterSeconds: 0 }],
        [{ user: 1 }, {}],
        [{ previousTokenHash: 1 }, { sparse: true }],
      ]),
    );
  });

  it('tokens keep LibreChat names and indexes, plus the token-hash index', () => {
    expect(pathOptions(TokenSchema, 'userId')).toMatchObject({ instance: 'ObjectId', required: true });
    expect(pathOptions(TokenSchema, 'token')).toMatchObject({ instance: 'String', required: true });
    expect(pathOptions(TokenSchema, 'createdAt')).toMatchObject({ instance: 'Date', required: true });
    expect(pathOptions(TokenSchema, 'expiresAt')).toMatchObject({ instance: 'Date', required: true });
    expect(pathOptions(TokenSchema, 'metadata')).toMatchObject({ instance: 'Map' });
    expect(indexesOf(TokenSchema)).toEqual(
      sorted([
        [{ expiresAt: 1 }, { expireAfterSeconds: 0 }],
        [{ userId: 1, type: 1, identifier: 1, tenantId: 1 }, {}],
        [{ token: 1 }, {}],
      ]),
    );
  });

  it('bans use the @keyv/mongo document shape and indexes in `logs`', () => {
    expect(Object.keys(BanLogSchema.paths).sort()).toEqual(['_id', 'expiresAt', 'key', 'value']);
    expect(BanLogSchema.get('versionKey')).toBe(false);
    expect(indexesOf(BanLogSchema)).toEqual(
      sorted([
        [{ key: 1 }, {}],
        [{ expiresAt: 1 }, { expireAfterSeconds: 0 }],
      ]),
    );
  });

  it('gatehouse_* collections declare their unique keys and TTLs', () => {
    expect(indexesOf(ViolationSchema)).toEqual(
      sorted([
        [{ subject: 1, type: 1 }, { unique: true }],
        [{ expiresAt: 1 }, { expireAfterSeconds: 0 }],
      ]),
    );
    expect(indexesOf(KeyValueSchema)).toEqual([[{ expiresAt: 1 }, { expireAfterSeconds: 0 }]]);
    expect(pathOptions(KeyValueSchema, '_id')).toMatchObject({ instance: 'String' });
    expect(indexesOf(OutboxSchema)).toEqual([[{ status: 1, availableAt: 1 }, {}]]);
    // No TTL: the stored refresh token outlives the access token's expiry.
    expect(indexesOf(IdpTokenSchema)).toEqual([[{ userId: 1, provider: 1 }, { unique: true }]]);
    expect(pathOptions(MetaSchema, '_id')).toMatchObject({ instance: 'String' });
  });

  it('schemas updated through pipelines have no defaults and no version key', () => {
    // Mongoose adds `$setOnInsert` for defaults and the version key on upsert, which a pipeline cannot carry.
    for (const schema of [ViolationSchema, KeyValueSchema]) {
      expect(schema.get('versionKey')).toBe(false);
      for (const [path, type] of Object.entries(schema.paths)) {
        if (path === '_id') continue;
        expect({ path, default: (type as unknown as { defaultValue?: unknown }).defaultValue }).toEqual({ path, default: undefined });
      }
    }
  });

  describe('documents the repositories insert', () => {
    const conn = mongoose.createConnection();
    const model = (name: string) => {
      const definition = MONGO_MODEL_DEFINITIONS.find((d) => d.name === name);
      if (!definition) throw new Error(name);
      return conn.models[name] ?? conn.model(name, definition.schema);
    };
    afterAll(() => conn.close());
    const T0 = new Date('2031-03-04T05:06:07.000Z');

    it('a user validates, gets LibreChat defaults and keeps absent provider ids absent', async () => {
      const doc = new (model('User'))(buildUserInsert({ email: 'A@B.c', googleId: null }, 'USER', new Types.ObjectId()));
      await expect(doc.validate()).resolves.toBeUndefined();
      const stored = doc.toObject() as Record<string, unknown>;
      expect(stored).toMatchObject({ email: 'a@b.c', username: '', plugins: [], emailVerified: false, provider: 'local', role: 'USER' });
      expect('googleId' in stored).toBe(false);
      expect('password' in stored).toBe(false);
    });

    it('a session and a token validate; token metadata becomes a Map', async () => {
      const user = new Types.ObjectId();
      const session = new (model('Session'))(buildSessionInsert({ userId: user.toHexString(), tokenHash: 'h', expiresAt: T0 }, new Types.ObjectId(), user, T0));
      await expect(session.validate()).resolves.toBeUndefined();
      const token = new (model('Token'))(buildTokenInsert({ type: 'verify', tokenHash: 'h', expiresAt: T0, metadata: { a: 'b' } }, new Types.ObjectId(), T0));
      await expect(token.validate()).resolves.toBeUndefined();
      expect(token.get('metadata')).toBeInstanceOf(Map);
      expect(token.toObject({ flattenMaps: true })).toMatchObject({ metadata: { a: 'b' } });
    });

    it('required fields are enforced where LibreChat requires them', async () => {
      const invalidPaths = (name: string) =>
        new (model(name))({}).validate().then(
          () => [],
          (err: { errors?: Record<string, unknown> }) => Object.keys(err.errors ?? {}).sort(),
        );
      expect(await invalidPaths('Token')).toEqual(['expiresAt', 'token', 'userId']);
      expect(await invalidPaths('Session')).toEqual(['expiration', 'refreshTokenHash', 'user']);
      expect(await invalidPaths('User')).toEqual(['email']);
    });
  });
});
