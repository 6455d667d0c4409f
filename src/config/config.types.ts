/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type --
 * Each namespace is an abstract class merged with its settings interface: the class is the Nest
 * injection token (it survives to runtime for decorator metadata), the interface gives its fields.
 * Consumers write `constructor(private readonly session: SessionConfig)`. */
import type { AppleSettings } from './schemas/apple.schema';
import type { LdapSettings } from './schemas/ldap.schema';
import type { MailSettings } from './schemas/mail.schema';
import type { ModerationSettings } from './schemas/moderation.schema';
import type { OpenIdSettings } from './schemas/openid.schema';
import type { OperationsSettings } from './schemas/operations.schema';
import type { NamedOpenIdProvider } from './schemas/openid-providers.schema';

export type { NamedOpenIdProvider };
import type { RegistrationSettings } from './schemas/registration.schema';
import type { SamlSettings } from './schemas/saml.schema';
import type { SecretSettings } from './schemas/secrets.schema';
import type { ServerSettings } from './schemas/server.schema';
import type { SessionSettings } from './schemas/session.schema';
import type { SocialSettings } from './schemas/social.schema';
import type { StorageSettings } from './schemas/storage.schema';
import type { TemplateSettings } from './schemas/templates.schema';

export abstract class ServerConfig {}
export interface ServerConfig extends ServerSettings {}

export abstract class SecretsConfig {}
export interface SecretsConfig extends SecretSettings {}

/** `cookieSecure` is resolved at boot (explicit setting, else the localhost heuristic). */
export abstract class SessionConfig {}
export interface SessionConfig extends Omit<SessionSettings, 'cookieSecure'> {
  cookieSecure: boolean;
}

export abstract class RegistrationConfig {}
export interface RegistrationConfig extends RegistrationSettings {}

export abstract class MailConfig {}
export interface MailConfig extends MailSettings {}

export abstract class OpenIdConfig {}
export interface OpenIdConfig extends OpenIdSettings {}

export abstract class SocialConfig {}
export interface SocialConfig extends SocialSettings {}

export abstract class SamlConfig {}
export interface SamlConfig extends SamlSettings {}
/** LDAP sign-in (issue 20); `enabled` with `directory` set when LDAP_URL and LDAP_USER_SEARCH_BASE are. */
export abstract class LdapConfig {}
export interface LdapConfig extends LdapSettings {}

export abstract class ModerationConfig {}
export interface ModerationConfig extends ModerationSettings {}

export abstract class StorageConfig {}
export interface StorageConfig extends StorageSettings {}

/** Metrics and the audit trail (issue 22). */
export abstract class OperationsConfig {}
export interface OperationsConfig extends OperationsSettings {}

export abstract class TemplatesConfig {}
export interface TemplatesConfig extends TemplateSettings {}

/** The whole validated configuration, also injectable as one object. */
export abstract class GatehouseConfig {}
export interface GatehouseConfig {
  server: ServerConfig;
  secrets: SecretsConfig;
  session: SessionConfig;
  registration: RegistrationConfig;
  mail: MailConfig;
  openid: OpenIdConfig;
  /** OPENID_PROVIDERS: named OpenID providers besides the default one. */
  openidProviders: NamedOpenIdProvider[];
  social: SocialConfig;
  /** SAML 2.0 sign-in (SAML_*). */
  saml: SamlConfig;
  /** Sign in with Apple, null when not configured (issue 20). */
  apple: AppleSettings | null;
  ldap: LdapConfig;
  moderation: ModerationConfig;
  storage: StorageConfig;
  templates: TemplatesConfig;
  operations: OperationsConfig;
  /** Problems that do not stop the boot, logged once at start. */
  warnings: string[];
}
