import { Injectable, Logger } from '@nestjs/common';
import { CommonErrors, DomainError } from '../common/errors';
import { SecurityEvents } from '../common/security-events';
import { RefreshSessionsService } from '../sessions';
import { IdpTokenVault, TwoFactorRepository, UserRecord, UserRepository, isValidUserCursor } from '../storage';
import { UsersErrors, UsersService } from '../users';
import { AdminErrors } from './admin.errors';
import { AdminSessionView, AdminUserPage, AdminUserView, toAdminSessionView, toAdminUserView } from './admin-user.view';

/** Who acts and from where: recorded with every admin action. */
export interface AdminActor {
  userId: string;
  ip: string | null;
  userAgent: string | null;
}

const fail = {
  notFound: () => new DomainError(UsersErrors.USER_NOT_FOUND),
  self: (what: string) => new DomainError(AdminErrors.CANNOT_ACT_ON_SELF, { message: `An administrator cannot ${what} their own account.` }),
  cursor: () => new DomainError(CommonErrors.INVALID_CURSOR, { message: 'The cursor is not one this API returned.' }),
};

/**
 * The administrator's use cases (issue 22): find accounts, disable and enable them, delete them,
 * reset their second factor, end their sessions. Each one is recorded on the security-event bus
 * with the acting administrator. Taking away access always ends the account's sessions in the same
 * call, so "disabled" or "revoked" holds from the next refresh on; access tokens already handed
 * out stop at the bearer guard (disabled) or at their expiry (revoked).
 */
@Injectable()
export class AdminUsersService {
  private readonly logger = new Logger('AdminUsers');

  constructor(
    private readonly users: UserRepository,
    private readonly accounts: UsersService,
    private readonly sessions: RefreshSessionsService,
    private readonly vault: IdpTokenVault,
    private readonly twoFactor: TwoFactorRepository,
    private readonly events: SecurityEvents,
  ) {}

  async search(text: string | undefined, limit: number, cursor: string | undefined): Promise<AdminUserPage> {
    if (cursor !== undefined && !isValidUserCursor(cursor)) throw fail.cursor();
    const page = await this.users.search({ text, limit, after: cursor ?? null });
    return { users: page.users.map(toAdminUserView), next: page.next };
  }

  async get(userId: string): Promise<AdminUserView> {
    return toAdminUserView(await this.load(userId));
  }

  async listSessions(userId: string): Promise<AdminSessionView[]> {
    await this.load(userId);
    return (await this.sessions.list(userId)).map(toAdminSessionView);
  }

  async disable(actor: AdminActor, userId: string): Promise<{ user: AdminUserView; endedSessions: number }> {
    if (actor.userId === userId) throw fail.self('disable');
    await this.load(userId);
    const updated = await this.users.update(userId, { disabled: true });
    if (!updated) throw fail.notFound();
    const endedSessions = await this.endSessions(userId);
    await this.record(actor, 'account.disabled', userId, { endedSessions });
    return { user: toAdminUserView(updated), endedSessions };
  }

  async enable(actor: AdminActor, userId: string): Promise<{ user: AdminUserView }> {
    await this.load(userId);
    const updated = await this.users.update(userId, { disabled: false });
    if (!updated) throw fail.notFound();
    await this.record(actor, 'account.enabled', userId);
    return { user: toAdminUserView(updated) };
  }

  async delete(actor: AdminActor, userId: string): Promise<void> {
    if (actor.userId === userId) throw fail.self('delete');
    const user = await this.load(userId);
    // The deletion use case emits account.deleted itself, with the administrator as actor.
    if (!(await this.accounts.deleteAccount(userId, actor.userId))) throw fail.notFound();
    this.logger.log({ event: 'account.deleted', userId, actorId: actor.userId, provider: user.provider }, 'admin action');
  }

  /** The user lost their authenticator: the factor and backup codes go, and so do their sessions. */
  async resetTwoFactor(actor: AdminActor, userId: string): Promise<{ endedSessions: number }> {
    await this.load(userId);
    await this.twoFactor.clear(userId);
    const endedSessions = await this.endSessions(userId);
    await this.record(actor, 'two_factor.reset_by_admin', userId, { endedSessions });
    return { endedSessions };
  }

  async revokeSessions(actor: AdminActor, userId: string): Promise<{ endedSessions: number }> {
    await this.load(userId);
    const endedSessions = await this.endSessions(userId);
    await this.record(actor, 'session.revoked', userId, { endedSessions, all: true });
    return { endedSessions };
  }

  /** Refresh sessions and token-reuse logins (whose IdP tokens live in the vault) alike. */
  private async endSessions(userId: string): Promise<number> {
    const ended = await this.sessions.revokeAll(userId);
    await this.vault.delete(userId);
    return ended;
  }

  private async load(userId: string): Promise<UserRecord> {
    const user = await this.users.findById(userId);
    if (!user) throw fail.notFound();
    return user;
  }

  private async record(
    actor: AdminActor,
    type: 'account.disabled' | 'account.enabled' | 'two_factor.reset_by_admin' | 'session.revoked',
    userId: string,
    details: Record<string, string | number | boolean> = {},
  ): Promise<void> {
    this.logger.log({ event: type, userId, actorId: actor.userId, ...details }, 'admin action');
    await this.events.emit({ type, userId, actorId: actor.userId, ip: actor.ip, userAgent: actor.userAgent, method: 'admin', details });
  }
}
