import { z } from 'zod';
import { hex, secret } from '../fields/env-fields';

/** Raw secrets as given; missing ones are resolved (generated in development) by the loader. */
export const secretsSchema = z.object({
  JWT_SECRET: secret(),
  JWT_REFRESH_SECRET: secret(),
  CREDS_KEY: hex(32),
  CREDS_IV: hex(16),
  OPENID_SESSION_SECRET: secret(),
});

export type RawSecrets = z.output<typeof secretsSchema>;

export interface SecretSettings {
  jwtSecret: string;
  jwtRefreshSecret: string;
  credsKey: string;
  credsIv: string | null;
  openidSessionSecret: string | null;
}
