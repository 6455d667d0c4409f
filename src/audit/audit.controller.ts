import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access.decorators';
import { CommonErrors } from '../common/errors';
import { ApiErrors } from '../common/openapi';
import { AuditEventPage } from './audit-page.view';
import { AuditQueryService, type AuditQueryInput } from './audit-query.service';

/** The audit trail for ADMIN users: filters by user, type and time; `next` is an opaque cursor. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('ADMIN')
@Controller('api/admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get()
  @ApiOperation({ summary: 'Security events, newest first: ?userId=&type=&from=&to=&limit=(1-200, default 50)&cursor=' })
  @ApiOkResponse({ type: AuditEventPage })
  @ApiErrors(CommonErrors.VALIDATION_FAILED, CommonErrors.INVALID_CURSOR)
  list(@Query() query: Record<string, unknown>) {
    const text = (name: keyof AuditQueryInput) => {
      const value = query[name];
      return typeof value === 'string' ? value : value === undefined ? undefined : '\u0000';
    };
    return this.audit.page({ userId: text('userId'), type: text('type'), from: text('from'), to: text('to'), limit: text('limit'), cursor: text('cursor') });
  }
}
