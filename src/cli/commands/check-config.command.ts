import { Command, CommandRunner } from 'nest-commander';
import { GatehouseConfig, MailConfig } from '../../config';
import { CliOutput } from '../cli-output';

/** Prints the effective, validated configuration (secrets masked) and any warnings. */
@Command({ name: 'check-config', description: 'Validate the environment and print the effective configuration (secrets masked)' })
export class CheckConfigCommand extends CommandRunner {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly out: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const { server, storage, openid, social, mail, registration } = this.config;
    const enabled = (Object.keys(social) as Array<keyof typeof social>).filter((k) => k !== 'buttonOrder' && social[k] !== null);
    this.out.line(`configuration is valid (${server.isProduction ? 'production' : server.nodeEnv})`);
    this.out.line(`  listen:        ${server.host}:${server.port}`);
    this.out.line(`  server domain: ${server.domainServer}`);
    this.out.line(`  client domain: ${server.domainClient}`);
    this.out.line(`  store:         ${storage.kind === 'sqlite' ? `sqlite in ${storage.dataDir}` : 'mongodb (MONGO_URI)'}`);
    this.out.line(`  registration:  ${registration.allowRegistration ? 'open' : 'closed'}; email login ${registration.allowEmailLogin ? 'on' : 'off'}`);
    this.out.line(`  mail:          ${describeMail(mail)}`);
    this.out.line(
      `  password reset: ${!registration.allowPasswordReset ? 'off' : mail.transport ? 'by mail' : registration.allowInsecurePasswordReset ? 'INSECURE: link returned in the response' : 'on, but no mail: use reset-password'}`,
    );
    this.out.line(`  openid:        ${openid.enabled ? `${openid.issuer} (client ${openid.clientId})` : 'off'}`);
    this.out.line(`  social:        ${enabled.length ? enabled.join(', ') : 'none'}`);
    const { saml } = this.config;
    this.out.line(
      `  saml:          ${saml.enabled ? `${saml.entryPoint ?? ''} (SP ${saml.issuer ?? ''}, ${saml.responseSigned ? 'response' : 'assertion'} must be signed)` : 'off'}`,
    );
    const { upstreams, configPath } = this.config.templates;
    const names = [
      ...[...upstreams.endpoints.keys()].map((n) => `endpoint ${n}`),
      ...[...upstreams.mcp.keys()].map((n) => `mcp ${n}`),
      ...[...upstreams.stdio.keys()].map((n) => `stdio ${n}`),
    ];
    this.out.line(`  upstreams:     ${configPath ? `${configPath}: ${names.length ? names.join(', ') : 'none'}` : 'none (CONFIG_PATH not set)'}`);
    for (const warning of this.config.warnings) this.out.line(`warning: ${warning}`);
  }
}

function describeMail(mail: MailConfig): string {
  if (mail.transport === null) return 'not configured';
  if (mail.transport === 'mailgun') return `mailgun (${mail.mailgun?.domain ?? ''}), from ${mail.from ?? ''}`;
  const target = mail.service ? `service ${mail.service}` : `${mail.host ?? ''}:${mail.port}`;
  const tls = { tls: 'implicit TLS', starttls: 'STARTTLS required', opportunistic: 'STARTTLS if offered' }[mail.encryption];
  return `smtp ${target}, ${tls}${mail.allowSelfSigned ? ', certificate NOT verified' : ''}${mail.username ? ', AUTH' : ''}, from ${mail.from ?? ''}`;
}
