import { ApiProperty } from '@nestjs/swagger';
import { SECURITY_EVENT_TYPES } from '../common/security-events';

/** One recorded security event as GET /api/admin/audit returns it (OpenAPI component). */
export class AuditEvent {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: SECURITY_EVENT_TYPES }) type!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, nullable: true }) userId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Who acted (an administrator), when not the user.' }) actorId!: string | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
  @ApiProperty({ type: String, nullable: true }) method!: string | null;
  @ApiProperty({ type: String, nullable: true }) provider!: string | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { oneOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }] } })
  details!: Record<string, string | number | boolean | null>;
}

export class AuditEventPage {
  @ApiProperty({ type: [AuditEvent] }) events!: AuditEvent[];
  @ApiProperty({ type: String, nullable: true, description: 'Cursor of the next (older) page; null on the last page' }) next!: string | null;
}
