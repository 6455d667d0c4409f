import { MongoUnitOfWork } from './mongo-unit-of-work';
import { Logger } from '@nestjs/common';
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import mongoose from 'mongoose';
import { IdpTokenVault, StoreLifecycle, UserRepository } from '../ports';
import { STORAGE_PORTS } from '../storage.tokens';
import { TokenCipher } from '../token-cipher';
import { MongoBalanceRepository } from './mongo-balance.repository';
import { MongoAuditLog } from './mongo-audit.log';
import { MongoIdpTokenVault } from './mongo-idp-token.vault';
import { MongoIndexes, mongoIndexesProvider } from './mongo-indexes';
import { MongoKeyValueStore } from './mongo-key-value.store';
import { MongoModerationRepository } from './mongo-moderation.repository';
import { MongoOneTimeTokenRepository } from './mongo-one-time-token.repository';
import { MongoOutboxRepository } from './mongo-outbox.repository';
import { MongoPasskeyRepository } from './mongo-passkey.repository';
import { MongoSessionRepository } from './mongo-session.repository';
import { MongoStorageModule, mongoPortProviders, mongooseConnectionOptions } from './mongo-storage.module';
import { MongoStoreLifecycle } from './mongo-store-lifecycle';
import { MongoTwoFactorRepository } from './mongo-two-factor.repository';
import { MongoUserRepository } from './mongo-user.repository';
import { MONGO_MODEL_DEFINITIONS } from './schemas';

const cipher = new TokenCipher('c'.repeat(64));

describe('MongoStorageModule', () => {
  it('provides and exports every storage port', () => {
    const dynamic = MongoStorageModule.register({ uri: 'mongodb://127.0.0.1:1/none', serverSelectionTimeoutMs: 1500, cipher });
    expect(dynamic.module).toBe(MongoStorageModule);
    expect(dynamic.exports).toEqual([...STORAGE_PORTS]);
    const provided = (dynamic.providers ?? []).map((p) => (typeof p === 'function' ? p : p.provide));
    for (const port of STORAGE_PORTS) expect(provided).toContain(port);
    expect(provided).toContain(MongoIndexes);
    expect(dynamic.imports).toHaveLength(2);
  });

  it('RL-20 connects fail-fast: no command buffering, bounded server selection, socket and pool waits; no mongoose auto indexes', () => {
    expect(mongooseConnectionOptions({ serverSelectionTimeoutMs: 1500 })).toEqual({
      serverSelectionTimeoutMS: 1500,
      bufferCommands: false,
      socketTimeoutMS: 10_000,
      waitQueueTimeoutMS: 10_000,
      autoIndex: false,
      autoCreate: false,
    });
    expect(mongooseConnectionOptions({ serverSelectionTimeoutMs: 1500, socketTimeoutMs: 3000 })).toMatchObject({
      socketTimeoutMS: 3000,
      waitQueueTimeoutMS: 3000,
    });
  });

  it('wires every port to its Mongo class through Nest DI (models and indexes stubbed)', async () => {
    const conn = mongoose.createConnection();
    try {
      const moduleRef = await Test.createTestingModule({
        providers: [
          { provide: getConnectionToken(), useValue: conn },
          ...MONGO_MODEL_DEFINITIONS.map((d) => ({ provide: getModelToken(d.name), useValue: conn.model(d.name, d.schema) })),
          { provide: MongoIndexes, useValue: new MongoIndexes([]) },
          ...mongoPortProviders(cipher),
        ],
      }).compile();
      const expected = [
        MongoUserRepository,
        MongoSessionRepository,
        MongoOneTimeTokenRepository,
        MongoModerationRepository,
        MongoKeyValueStore,
        MongoOutboxRepository,
        MongoIdpTokenVault,
        MongoStoreLifecycle,
        MongoTwoFactorRepository,
        MongoBalanceRepository,
        MongoPasskeyRepository,
        MongoUnitOfWork,
        MongoAuditLog,
      ];
      STORAGE_PORTS.forEach((port, i) => expect(moduleRef.get(port)).toBeInstanceOf(expected[i]));
      expect(moduleRef.get(StoreLifecycle).kind).toBe('mongo');
      expect(moduleRef.get(UserRepository)).toBeInstanceOf(UserRepository);
      expect(moduleRef.get(IdpTokenVault)).toBeInstanceOf(IdpTokenVault);
      expect(moduleRef.get(TokenCipher)).toBe(cipher);
    } finally {
      await conn.close();
    }
  });

  it("MB-18 ensures unique indexes before use, the rest in the background; LibreChat's existing forms are kept without an error", async () => {
    const logger = {
      error: jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined),
      warn: jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined),
      log: jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined),
    };
    try {
      const conn = mongoose.createConnection();
      const created: Array<[string, unknown, unknown]> = [];
      const conflict = (code: number) => Object.assign(new Error(`code ${code}`), { name: 'MongoServerError', code });
      // An older LibreChat database: unique email_1, and duplicate keys in `logs`.
      const answers: Record<string, unknown> = {
        'users:{"email":1}': conflict(85),
        'logs:{"key":1}': conflict(11000),
        'tokens:{"token":1}': new Error('disk full'),
      };
      const models = MONGO_MODEL_DEFINITIONS.map((d) => {
        const model = conn.model(d.name, d.schema);
        const name = model.collection.collectionName;
        const collection = {
          collectionName: name,
          createIndex: (fields: unknown, options: unknown) => {
            created.push([name, fields, options]);
            const answer = answers[`${name}:${JSON.stringify(fields)}`];
            return answer ? Promise.reject(answer) : Promise.resolve('ok');
          },
        };
        return { schema: d.schema, collection };
      });
      const factory = (mongoIndexesProvider as { useFactory: (...models: unknown[]) => Promise<MongoIndexes> }).useFactory;
      expect((mongoIndexesProvider as { inject: unknown[] }).inject).toEqual(MONGO_MODEL_DEFINITIONS.map((d) => getModelToken(d.name)));
      const indexes = await factory(...models);
      // Before the repositories exist: only the unique indexes.
      expect(created.every(([, , options]) => (options as { unique?: boolean }).unique === true)).toBe(true);
      expect(created.map(([c, f]) => `${c}:${JSON.stringify(f)}`)).toEqual(
        expect.arrayContaining([
          'users:{"email":1,"tenantId":1}',
          'gatehouse_violations:{"subject":1,"type":1}',
          'gatehouse_idp_tokens:{"userId":1,"provider":1}',
        ]),
      );
      expect(indexes.failures).toEqual([]);
      const essentialCount = created.length;
      indexes.onApplicationBootstrap();
      const background = await indexes.background();
      expect(created.length).toBeGreaterThan(essentialCount);
      expect(created.slice(essentialCount).some(([, , o]) => (o as { unique?: boolean }).unique === true)).toBe(false);
      expect(created).toContainEqual(['users', { email: 1 }, {}]);
      expect(background).toEqual([{ collection: 'tokens', index: 'token_1', error: 'Error: disk full' }]);
      expect(logger.error).not.toHaveBeenCalled();
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.log).toHaveBeenCalledWith(expect.stringContaining('users.email_1 kept in its existing form (code 85)'));
      expect(logger.log).toHaveBeenCalledWith(expect.stringContaining('logs.key_1 kept in its existing form (code 11000)'));
      // Shutdown stops a background build between indexes.
      const stopped = new MongoIndexes([], (running) => Promise.resolve(running() ? [{ collection: 'x', index: 'y', error: 'ran' }] : []));
      stopped.onModuleDestroy();
      expect(await stopped.background()).toEqual([]);
      await conn.close();
    } finally {
      jest.restoreAllMocks();
    }
  });
});

describe('with MongoDB unreachable (RL-01)', () => {
  it('fails the connection within the server-selection timeout and never buffers queries', async () => {
    // Port 1 on the loopback interface: refused at once, no network involved.
    const conn = mongoose.createConnection('mongodb://127.0.0.1:1/gatehouse', mongooseConnectionOptions({ serverSelectionTimeoutMs: 300 }));
    try {
      const model = conn.model(MONGO_MODEL_DEFINITIONS[0].name, MONGO_MODEL_DEFINITIONS[0].schema);
      const started = Date.now();
      await expect(conn.asPromise()).rejects.toMatchObject({ name: 'MongooseServerSelectionError' });
      expect(Date.now() - started).toBeLessThan(5000);
      await expect(model.findOne({}).exec()).rejects.toThrow(/bufferCommands = false/);
    } finally {
      await conn.close();
    }
  });
});
