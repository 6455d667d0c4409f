import { Module, type OnModuleInit } from '@nestjs/common';
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
export class LdapModule implements OnModuleInit {
  constructor(
    private readonly seam: DirectoryLogin,
    private readonly verifier: LdapLoginService,
  ) {}

  onModuleInit(): void {
    this.seam.use(this.verifier);
  }
}
