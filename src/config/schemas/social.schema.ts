import { z } from 'zod';
import { httpUrl, list, optStr, pathOrUrl, secret } from '../fields/env-fields';
import { together } from './issue';

export const SOCIAL_PROVIDERS = ['google', 'github', 'discord', 'facebook'] as const;
export type SocialProviderName = (typeof SOCIAL_PROVIDERS)[number];
// LibreChat's default order (docs/librechat-differences.md#http-api), SAML included.
const BUTTONS = ['google', 'facebook', 'openid', 'github', 'discord', 'saml'];
/** Accepted in SOCIAL_LOGINS besides the default ones (LibreChat's client shows Apple only when listed). */
const BUTTON_NAMES = [...BUTTONS, 'apple'];

function providerFields<P extends string>(prefix: P, name: string) {
  return {
    [`${prefix}_CLIENT_ID`]: optStr(),
    [`${prefix}_CLIENT_SECRET`]: secret(),
    // A default path instead of LibreChat's `DOMAIN_SERVER + "undefined"` (LibreChat defect D-25, docs/librechat-differences.md).
    [`${prefix}_CALLBACK_URL`]: pathOrUrl(`/oauth/${name}/callback`),
  } as Record<`${P}_CLIENT_ID` | `${P}_CLIENT_SECRET`, ReturnType<typeof optStr>> & Record<`${P}_CALLBACK_URL`, ReturnType<typeof pathOrUrl>>;
}

export const socialSchema = z
  .object({
    ...providerFields('GOOGLE', 'google'),
    ...providerFields('GITHUB', 'github'),
    ...providerFields('DISCORD', 'discord'),
    ...providerFields('FACEBOOK', 'facebook'),
    // Replace a provider's hosts (paths stay as on the real service): for tests against local
    // fakes and for egress proxies. Unset in production.
    GOOGLE_OAUTH_BASE_URL: httpUrl(),
    GITHUB_OAUTH_BASE_URL: httpUrl(),
    DISCORD_OAUTH_BASE_URL: httpUrl(),
    FACEBOOK_OAUTH_BASE_URL: httpUrl(),
    GITHUB_ENTERPRISE_BASE_URL: httpUrl(),
    GITHUB_ENTERPRISE_USER_AGENT: optStr(),
    SOCIAL_LOGINS: list(BUTTONS, {
      item: (v) => (BUTTON_NAMES.includes(v.toLowerCase()) ? v.toLowerCase() : null),
      itemForm: `one of ${BUTTON_NAMES.join(', ')}`,
    }),
  })
  .superRefine((v, ctx) => {
    for (const p of ['GOOGLE', 'GITHUB', 'DISCORD', 'FACEBOOK'] as const) {
      together(ctx, [`${p}_CLIENT_ID`, v[`${p}_CLIENT_ID`]], [`${p}_CLIENT_SECRET`, v[`${p}_CLIENT_SECRET`]], `the ${p.toLowerCase()} provider needs both`);
    }
  })
  .transform((v) => {
    const provider = (p: 'GOOGLE' | 'GITHUB' | 'DISCORD' | 'FACEBOOK') => {
      const clientId = v[`${p}_CLIENT_ID`];
      const clientSecret = v[`${p}_CLIENT_SECRET`];
      return clientId && clientSecret ? { clientId, clientSecret, callbackUrl: v[`${p}_CALLBACK_URL`], baseUrl: v[`${p}_OAUTH_BASE_URL`] ?? null } : null;
    };
    const github = provider('GITHUB');
    return {
      google: provider('GOOGLE'),
      github: github && {
        ...github,
        enterpriseBaseUrl: v.GITHUB_ENTERPRISE_BASE_URL ?? null,
        enterpriseUserAgent: v.GITHUB_ENTERPRISE_USER_AGENT ?? null,
      },
      discord: provider('DISCORD'),
      facebook: provider('FACEBOOK'),
      /** Order of the sign-in buttons (LibreChat's `registration.socialLogins`). */
      buttonOrder: v.SOCIAL_LOGINS,
    };
  });

export type SocialSettings = z.output<typeof socialSchema>;
