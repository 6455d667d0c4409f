export { TwoFactorModule } from './two-factor.module';
export { TwoFactorService } from './two-factor.service';
export { TempTokenService, invalidTempToken } from './temp-token.service';
