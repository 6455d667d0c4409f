export { hmacKey, violatesIssuance } from './jwt-claims';
export { AccessJwtService, JwtKeysModule, RefreshJwtService } from './jwt-keys.module';
export { JsonWebTokenError, NotBeforeError, TokenExpiredError } from '@nestjs/jwt';
