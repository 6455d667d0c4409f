export { AccountLoginDelay } from './account-login-delay.service';
export { BANNED_MESSAGE, BansService, bannedError, ipSubject, userSubject, type BanTarget } from './bans.service';
export { LIMIT_NAMES, type LimitName } from './limits';
export { ModerationModule } from './moderation.module';
export { RateLimit } from './rate-limit.decorator';
export { ViolationsService } from './violations.service';
export { describeBan } from './ban-view';
export { banTargetFor, banTargetOf } from './ban-target';
export { LimitSubjects, type LimitSubject, type LimitSubjectResolver } from './limit-subjects';
