import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditQueryService } from './audit-query.service';
import { AuditRecorder } from './audit-recorder';

/** The persisted audit trail (issue 22): recorder on the security-event bus, retention, query API. */
@Module({ controllers: [AuditController], providers: [AuditRecorder, AuditQueryService], exports: [AuditQueryService] })
export class AuditModule {}
