export { TwoFactorModule } from './two-factor.module';
export { TwoFactorService } from './two-factor.service';
