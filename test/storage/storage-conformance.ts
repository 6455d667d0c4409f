import { Test, TestingModule } from '@nestjs/testing';
import { StorageModule, StorageOptions } from '../../src/storage';
import { StoreContext, StorePorts, portsOf } from './cases/context';
import { balanceCases } from './cases/balances.cases';
import { auditCases } from './cases/audit.cases';
import { kvCases } from './cases/kv.cases';
import { moderationCases } from './cases/moderation.cases';
import { outboxCases } from './cases/outbox.cases';
import { sessionCases } from './cases/sessions.cases';
import { tokenCases } from './cases/tokens.cases';
import { passkeyCases } from './cases/passkeys.cases';
import { twoFactorCases } from './cases/two-factor.cases';
import { userCases } from './cases/users.cases';
import { vaultAndLifecycleCases } from './cases/vault-lifecycle.cases';

/** Opens the store exactly as the application does: through `StorageModule.forRoot`. */
export async function openStore(options: StorageOptions): Promise<TestingModule> {
  return Test.createTestingModule({ imports: [StorageModule.forRoot(options)] }).compile();
}

/**
 * The behaviour every storage adapter must share. `makeOptions` is called once per test and
 * must return options for an empty store (a new directory, a new database name).
 */
export function describeStorageConformance(title: string, makeOptions: () => Promise<StorageOptions> | StorageOptions): void {
  describeWithFreshStore(title, makeOptions, (ctx) => {
    describe('users', () => userCases(ctx));
    describe('refresh sessions', () => sessionCases(ctx));
    describe('one-time tokens', () => tokenCases(ctx));
    describe('moderation', () => moderationCases(ctx));
    describe('key-value store', () => kvCases(ctx));
    describe('outbox', () => outboxCases(ctx));
    describe('IdP token vault and lifecycle', () => vaultAndLifecycleCases(ctx));
    describe('two-factor', () => twoFactorCases(ctx));
    describe('balances', () => balanceCases(ctx));
    describe('passkeys', () => passkeyCases(ctx));
    describe('audit trail', () => auditCases(ctx));
  });
}

/** Opens a store from `makeOptions()` before each test of `cases` and closes it after. */
export function describeWithFreshStore(title: string, makeOptions: () => Promise<StorageOptions> | StorageOptions, cases: (ctx: StoreContext) => void): void {
  describe(title, () => {
    let options: StorageOptions | undefined;
    let current: { moduleRef: TestingModule; ports: StorePorts; closed: boolean } | undefined;

    const open = async (opts: StorageOptions) => {
      const moduleRef = await openStore(opts);
      current = { moduleRef, ports: portsOf(moduleRef), closed: false };
      return current.ports;
    };
    const closeCurrent = async () => {
      if (current && !current.closed) {
        current.closed = true;
        await current.moduleRef.close();
      }
    };
    const need = <T>(value: T | undefined, what: string): T => {
      if (value === undefined) throw new Error(`no ${what}: the store is opened in beforeEach`);
      return value;
    };

    const ctx: StoreContext = {
      ports: () => need(current, 'store').ports,
      options: () => need(options, 'options'),
      moduleRef: () => need(current, 'store').moduleRef,
      async restart() {
        await closeCurrent();
        return open(need(options, 'options'));
      },
    };

    beforeEach(async () => {
      options = await makeOptions();
      await open(options);
    });

    afterEach(async () => {
      await closeCurrent();
      current = undefined;
      options = undefined;
    });

    cases(ctx);
  });
}
