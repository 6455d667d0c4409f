import { Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AuthModule, DirectoryLogin } from '../auth';
import { LdapConfig } from '../config';
import { LdapDirectory } from './ldap-directory';
import { LdapLoginService } from './ldap-login.service';

/**
 * LDAP sign-in (issue 20): with LDAP_URL and LDAP_USER_SEARCH_BASE, POST /api/auth/login checks
 * passwords against the directory instead of local hashes. Imported only when enabled.
 */
@Module({
  imports: [AuthModule],
  providers: [{ provide: LdapDirectory, useFactory: (config: LdapConfig) => new LdapDirectory(config.directory!), inject: [LdapConfig] }, LdapLoginService],
})
export class LdapModule implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly seam: DirectoryLogin,
    private readonly verifier: LdapLoginService,
    private readonly directory: LdapDirectory,
  ) {}

  onModuleInit(): void {
    this.seam.use(this.verifier);
  }

  /** The pooled directory connections close with the application. */
  onModuleDestroy(): Promise<void> {
    return this.directory.close();
  }
}
