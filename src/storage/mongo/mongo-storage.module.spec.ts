import { MongoUnitOfWork } from './mongo-unit-of-work';
import { Logger } from '@nestjs/common';
import { getConnectionToken, getModelToken } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import mongoose from 'mongoose';
import { IdpTokenVault, StoreLifecycle, UserRepository } from '../ports';
import { STORAGE_PORTS } from '../storage.tokens';
import { TokenCipher } from '../token-cipher';
import { MongoIdpTokenVault } from './mongo-idp-token.vault';
import { MongoIndexes, mongoIndexesProvider } from './mongo-indexes';
import { MongoKeyValueStore } from './mongo-key-value.store';
import { MongoModerationRepository } from './mongo-moderation.repository';
import { MongoOneTimeTokenRepository } from './mongo-one-time-token.repository';
import { MongoOutboxRepository } from './mongo-outbox.repository';
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

  it('connects fail-fast: no command buffering, the configured server-selection timeout, auto indexes', () => {
    expect(mongooseConnectionOptions({ serverSelectionTimeoutMs: 1500 })).toEqual({
      serverSelectionTimeoutMS: 1500,
      bufferCommands: false,
      autoIndex: true,
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
        MongoUnitOfWork,
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

  it('waits for every model index build and reports failures without failing startup', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const fakeModel = (collectionName: string, init: () => Promise<unknown>) => ({ init, collection: { collectionName } });
      const factory = (mongoIndexesProvider as { useFactory: (...models: unknown[]) => Promise<MongoIndexes> }).useFactory;
      const inject = (mongoIndexesProvider as { inject: unknown[] }).inject;
      expect(inject).toEqual(MONGO_MODEL_DEFINITIONS.map((d) => getModelToken(d.name)));
      const ready = await factory(
        fakeModel('users', () => Promise.reject(new Error('IndexOptionsConflict'))),
        fakeModel('sessions', () => Promise.resolve()),
      );
      expect(ready.failures).toEqual([{ collection: 'users', error: 'Error: IndexOptionsConflict' }]);
      expect(error).toHaveBeenCalledTimes(1);
    } finally {
      error.mockRestore();
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
