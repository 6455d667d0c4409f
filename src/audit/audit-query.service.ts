import { Injectable } from '@nestjs/common';
import { CommonErrors, DomainError } from '../common/errors';
import { SECURITY_EVENT_TYPES } from '../common/security-events';
import { AuditLog, type AuditEventRecord } from '../storage';
import { decodeCursor, encodeCursor } from './audit-cursor';

export const DEFAULT_AUDIT_PAGE = 50;
export const MAX_AUDIT_PAGE = 200;

/** The query string as received; every field optional and still a string. */
export interface AuditQueryInput {
  userId?: string;
  type?: string;
  from?: string;
  to?: string;
  limit?: string;
  cursor?: string;
}

export interface AuditPage {
  events: Array<Omit<AuditEventRecord, 'at'> & { at: string }>;
  next: string | null;
}

const bad = (field: string, expected: string) => new DomainError(CommonErrors.VALIDATION_FAILED, { message: `${field}: ${expected}` });

function instant(value: string | undefined, field: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) throw bad(field, 'expected an ISO 8601 date or time');
  return date;
}

/** Reads the audit trail page by page, newest first (GET /api/admin/audit). */
@Injectable()
export class AuditQueryService {
  constructor(private readonly log: AuditLog) {}

  async page(input: AuditQueryInput): Promise<AuditPage> {
    const limit = input.limit === undefined || input.limit === '' ? DEFAULT_AUDIT_PAGE : Number(input.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) throw bad('limit', `expected a whole number from 1 to ${MAX_AUDIT_PAGE}`);
    if (input.type && !(SECURITY_EVENT_TYPES as readonly string[]).includes(input.type)) throw bad('type', 'is not a known event type');
    if (input.userId !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(input.userId)) throw bad('userId', 'is not a user id');
    const from = instant(input.from, 'from');
    const to = instant(input.to, 'to');
    // One more than asked tells whether a next page exists without a second query.
    const rows = await this.log.query({
      userId: input.userId || undefined,
      type: input.type || undefined,
      from,
      to,
      before: input.cursor ? decodeCursor(input.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      events: page.map((e) => ({ ...e, at: e.at.toISOString() })),
      next: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }
}
