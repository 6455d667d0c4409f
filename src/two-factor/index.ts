export { TwoFactorModule } from './two-factor.module';
export { TwoFactorService } from './two-factor.service';
export { TwoFactorErrors } from './two-factor.errors';
export { TempTokenService, invalidTempToken } from './temp-token.service';
