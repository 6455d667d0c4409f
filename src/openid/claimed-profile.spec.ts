import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OpenIdConfig, RegistrationConfig } from '../config';
import { SqliteDatabase } from '../storage/sqlite/sqlite-database';
import { SqliteOneTimeTokenRepository } from '../storage/sqlite/sqlite-one-time-token.repository';
import { SqliteSessionRepository } from '../storage/sqlite/sqlite-session.repository';
import { SqliteUserRepository } from '../storage/sqlite/sqlite-user.repository';
import { FederatedAccounts } from '../users/federated-accounts.service';
import { claimedProfile } from './claimed-profile';
import { OpenIdUserResolver } from './openid-user.resolver';
import { SystemClock } from '../common/clock';
import { SecurityEvents } from '../common/security-events';

const NAMES = { username: null, name: null, email: null };

describe('claimedProfile', () => {
  it('MB-21 names only the fields whose claim is present', () => {
    expect(claimedProfile({ sub: 's' }, NAMES)).toEqual({});
    expect(claimedProfile({ preferred_username: 'ada', name: 'Ada L', oid: 'o-1' }, NAMES)).toEqual({ username: 'ada', name: 'Ada L', idOnTheSource: 'o-1' });
    expect(claimedProfile({ oid: '', name: '  ' }, NAMES)).toEqual({});
    // The email is a fallback for new accounts only, never written over a stored name or username.
    expect(claimedProfile({ email: 'ada@example.com' }, NAMES)).toEqual({});
    expect(claimedProfile({ given_name: 'Ada' }, NAMES)).toEqual({ name: 'Ada' });
  });

  it('MB-21 a second OpenID sign-in without name, username or oid leaves the stored values alone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-claims-'));
    const sqlite = new SqliteDatabase({ file: path.join(dir, 'gatehouse.db') });
    try {
      const users = new SqliteUserRepository(sqlite);
      const config = { issuer: 'https://idp.example/', claims: NAMES } as unknown as OpenIdConfig;
      const registration = { allowSocialRegistration: true, allowedDomains: [] } as unknown as RegistrationConfig;
      const accounts = new FederatedAccounts(
        users,
        new SqliteSessionRepository(sqlite),
        new SqliteOneTimeTokenRepository(sqlite),
        registration,
        new SecurityEvents(new SystemClock()),
      );
      const resolver = new OpenIdUserResolver(users, accounts, config);
      const identity = (claims: Record<string, unknown>) => ({
        sub: 'sub-1',
        issuer: 'https://idp.example/',
        claims: { email: 'ada@example.com', email_verified: true, ...claims },
      });
      const first = await resolver.resolve(identity({ name: 'Ada Lovelace', preferred_username: 'ada', oid: 'oid-1' }), () => null);
      expect(first).toMatchObject({ name: 'Ada Lovelace', username: 'ada', idOnTheSource: 'oid-1' });
      const second = await resolver.resolve(identity({}), () => null);
      expect(second).toMatchObject({ id: first.id, name: 'Ada Lovelace', username: 'ada', idOnTheSource: 'oid-1' });
      const third = await resolver.resolve(identity({ name: 'Ada King' }), () => null);
      expect(third).toMatchObject({ name: 'Ada King', idOnTheSource: 'oid-1' });
    } finally {
      sqlite.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
