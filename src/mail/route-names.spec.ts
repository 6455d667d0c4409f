import { Reflector } from '@nestjs/core';
import { ROUTE_NAME } from '../common/access.decorators';
import { PasswordResetController } from './password-reset/password-reset.controller';
import { EmailVerificationController } from './verification/email-verification.controller';

/**
 * RS-06 (per-address and per-IP limits on reset and verification mail) is enforced by the
 * moderation module's limiter, which finds these routes by name. This pins the names it uses.
 */
describe('RS-06 seam: mail routes carry the names rate limits attach to', () => {
  const reflector = new Reflector();
  it.each([
    [PasswordResetController.prototype.request, 'requestPasswordReset'],
    [PasswordResetController.prototype.reset, 'resetPassword'],
    [EmailVerificationController.prototype.verify, 'verifyEmail'],
    [EmailVerificationController.prototype.resend, 'resendVerificationEmail'],
  ])('%p is named %s', (handler, name) => {
    expect(reflector.get<string>(ROUTE_NAME, handler)).toBe(name);
  });
});
