export { AuditModule } from './audit.module';
export { AuditQueryService, type AuditPage, type AuditQueryInput } from './audit-query.service';
