import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as bcryptjs from 'bcryptjs';
import { SqliteDatabase } from '../../storage/sqlite/sqlite-database';
import { SqliteOneTimeTokenRepository } from '../../storage/sqlite/sqlite-one-time-token.repository';
import { TokenType, hashOneTimeToken } from './one-time-token';
import { consumeOneTimeToken, findOneTimeToken } from './outstanding-tokens';

const USER = '65f0a1b2c3d4e5f601234567';
const T0 = new Date('2031-03-04T05:06:07.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

describe("LibreChat's outstanding one-time tokens", () => {
  let dir: string;
  let sqlite: SqliteDatabase;
  let tokens: SqliteOneTimeTokenRepository;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-tokens-'));
    sqlite = new SqliteDatabase({ file: path.join(dir, 'gatehouse.db') });
    tokens = new SqliteOneTimeTokenRepository(sqlite);
  });
  afterEach(() => {
    sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('MB-24 a bcrypt-hashed reset token (typed or untyped) is spent once within its lifetime, by its owner only', async () => {
    await tokens.create({
      type: TokenType.PASSWORD_RESET,
      userId: USER,
      tokenHash: bcryptjs.hashSync('reset-raw', 4),
      expiresAt: later(900_000),
      createdAt: T0,
    });
    await tokens.create({ type: '', userId: USER, tokenHash: bcryptjs.hashSync('legacy-raw', 4), expiresAt: later(900_000), createdAt: T0 });
    const otherUser = '65f0a1b2c3d4e5f601234568';
    expect(await consumeOneTimeToken(tokens, TokenType.PASSWORD_RESET, { userId: otherUser }, 'reset-raw', T0)).toBeNull();
    expect(await consumeOneTimeToken(tokens, TokenType.PASSWORD_RESET, { userId: USER }, 'wrong', T0)).toBeNull();
    expect(await consumeOneTimeToken(tokens, TokenType.PASSWORD_RESET, { userId: USER }, 'reset-raw', later(900_000))).toBeNull();
    expect(await consumeOneTimeToken(tokens, TokenType.PASSWORD_RESET, { userId: USER }, 'reset-raw', T0)).toMatchObject({
      userId: USER,
      type: TokenType.PASSWORD_RESET,
    });
    expect(await consumeOneTimeToken(tokens, TokenType.PASSWORD_RESET, { userId: USER }, 'reset-raw', T0)).toBeNull();
    expect(await consumeOneTimeToken(tokens, TokenType.PASSWORD_RESET, { userId: USER }, 'legacy-raw', T0)).toMatchObject({ userId: USER, type: '' });
  });

  it('MB-24 a LibreChat invite (SHA-256, no type) opens registration for its address; another kind never does', async () => {
    await tokens.create({
      type: '',
      userId: null,
      email: 'new@example.com',
      tokenHash: hashOneTimeToken('invite-raw'),
      expiresAt: later(604_800_000),
      createdAt: T0,
    });
    await tokens.create({
      type: TokenType.EMAIL_VERIFICATION,
      userId: USER,
      email: 'new@example.com',
      tokenHash: hashOneTimeToken('verify-raw'),
      expiresAt: later(900_000),
      createdAt: T0,
    });
    expect(await findOneTimeToken(tokens, TokenType.INVITE, { email: 'other@example.com' }, 'invite-raw', T0)).toBeNull();
    expect(await findOneTimeToken(tokens, TokenType.INVITE, { email: 'new@example.com' }, 'verify-raw', T0)).toBeNull();
    const invite = await findOneTimeToken(tokens, TokenType.INVITE, { email: 'NEW@example.com' }, 'invite-raw', T0);
    expect(invite).toMatchObject({ type: '', email: 'new@example.com', tokenHash: hashOneTimeToken('invite-raw') });
    // Gatehouse's own typed tokens still go the direct way.
    expect(await consumeOneTimeToken(tokens, TokenType.EMAIL_VERIFICATION, { email: 'new@example.com' }, 'verify-raw', T0)).toMatchObject({ userId: USER });
  });
});
