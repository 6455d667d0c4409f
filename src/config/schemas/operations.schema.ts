import { z } from 'zod';
import { bool, count, secret } from '../fields/env-fields';
import { problem } from './issue';

/**
 * Metrics and the audit trail (issue 22). Metrics are served on the main port at `/metrics` and
 * only to a scraper presenting `METRICS_TOKEN` as a bearer token: one listener to run and
 * protect, and a token works through every load balancer, where a second port needs its own
 * firewall rule to stay private (docs/operations.md).
 */
export const operationsSchema = z
  .object({
    METRICS_ENABLED: bool(false),
    METRICS_TOKEN: secret(),
    // 0 keeps events forever (the operator prunes); the default is 90 days.
    AUDIT_RETENTION_DAYS: count(90, { min: 0, max: 36_500 }),
    AUDIT_STDOUT: bool(false),
  })
  .superRefine((v, ctx) => {
    if (v.METRICS_ENABLED && !v.METRICS_TOKEN)
      problem(
        ctx,
        'METRICS_TOKEN',
        'is required when METRICS_ENABLED=true (the scraper sends it as a bearer token); generate one, e.g. with: openssl rand -hex 32',
      );
    else if (v.METRICS_ENABLED && (v.METRICS_TOKEN ?? '').length < 16)
      problem(ctx, 'METRICS_TOKEN', 'is shorter than 16 characters; generate one, e.g. with: openssl rand -hex 32');
    if (!v.METRICS_ENABLED && v.METRICS_TOKEN)
      problem(ctx, 'METRICS_ENABLED', 'is not true but METRICS_TOKEN is set; set METRICS_ENABLED=true to serve /metrics, or remove METRICS_TOKEN');
  })
  .transform((v) => ({
    metricsEnabled: v.METRICS_ENABLED,
    metricsToken: v.METRICS_ENABLED ? (v.METRICS_TOKEN ?? null) : null,
    /** 0: never deleted. */
    auditRetentionDays: v.AUDIT_RETENTION_DAYS,
    auditStdout: v.AUDIT_STDOUT,
  }));

export type OperationsSettings = z.output<typeof operationsSchema>;
