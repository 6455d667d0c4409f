import { Injectable, OnModuleInit } from '@nestjs/common';
import { SecurityEvents, type RecordedSecurityEvent } from '../common/security-events';
import { OperationsConfig } from '../config';
import { AuditLog, StorageJanitor, type NewAuditEvent } from '../storage';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The bus event as a row: absent fields become null, so every row has the same shape. */
export function toAuditRow(event: RecordedSecurityEvent): NewAuditEvent {
  return {
    type: event.type,
    at: event.at,
    userId: event.userId ?? null,
    actorId: event.actorId ?? null,
    ip: event.ip ?? null,
    userAgent: event.userAgent ?? null,
    requestId: event.requestId ?? null,
    method: event.method ?? null,
    provider: event.provider ?? null,
    reason: event.reason ?? null,
    details: event.details ?? {},
  };
}

/**
 * Persists every security event from the bus, optionally copies it to stdout as one JSON line
 * (AUDIT_STDOUT, for log shippers), and registers the retention pass with the storage janitor.
 * Events carry no secrets by construction (scalar details chosen by each emitter).
 */
@Injectable()
export class AuditRecorder implements OnModuleInit {
  constructor(
    private readonly events: SecurityEvents,
    private readonly log: AuditLog,
    private readonly janitor: StorageJanitor,
    private readonly config: OperationsConfig,
  ) {}

  onModuleInit(): void {
    this.events.subscribe((event) => this.record(event));
    const days = this.config.auditRetentionDays;
    if (days > 0) this.janitor.addSweep((now) => this.log.deleteOlderThan(new Date(now.getTime() - days * DAY_MS)));
  }

  private async record(event: RecordedSecurityEvent): Promise<void> {
    const row = toAuditRow(event);
    if (this.config.auditStdout) process.stdout.write(`${JSON.stringify({ audit: { ...row, at: row.at.toISOString() } })}\n`);
    await this.log.append(row);
  }
}
