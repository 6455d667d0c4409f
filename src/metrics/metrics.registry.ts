import { Injectable, OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Clock } from '../common/clock';
import { OutboundCalls } from '../common/outbound-calls';
import { StoreFaults } from '../common/store-faults';
import { SecurityEvents, type RecordedSecurityEvent } from '../common/security-events';
import { OutboxMonitor } from '../mail';

/** Seconds; from a cached bearer check (sub-millisecond) to a slow IdP round trip. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Every metric Gatehouse exposes, in a registry of its own (one per app, so two apps in one
 * process, as in the tests, do not collide). Label values are bounded: route templates, method
 * families, configured provider names, limit names and fixed outcome words; never a user id,
 * email or raw path (AU-01).
 */
@Injectable()
export class GatehouseMetrics implements OnModuleInit {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'gatehouse_http_requests_total',
    help: 'HTTP requests by route template, method and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'gatehouse_http_request_duration_seconds',
    help: 'HTTP request latency by route template, method and status',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly signIns = new Counter({
    name: 'gatehouse_sign_ins_total',
    help: 'Sign-ins by method, provider and outcome (success, second_factor_pending or the failure reason)',
    labelNames: ['method', 'provider', 'outcome'],
    registers: [this.registry],
  });
  private readonly refreshes = new Counter({
    name: 'gatehouse_refreshes_total',
    help: 'Refresh-token uses by outcome (rotated, reused_within_grace, reuse_detected, refused_invalid, refused_banned, refused_disabled)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly bans = new Counter({
    name: 'gatehouse_bans_total',
    help: 'Bans added (kind automatic or manual) and lifted',
    labelNames: ['action', 'kind'],
    registers: [this.registry],
  });
  private readonly limitHits = new Counter({
    name: 'gatehouse_limit_hits_total',
    help: 'Requests refused by a named rate limit',
    labelNames: ['limit'],
    registers: [this.registry],
  });
  private readonly securityEvents = new Counter({
    name: 'gatehouse_security_events_total',
    help: 'Security events by type (the audit trail, counted)',
    labelNames: ['type'],
    registers: [this.registry],
  });
  private readonly providerCalls = new Counter({
    name: 'gatehouse_provider_requests_total',
    help: 'Calls to identity and sign-in providers by provider, endpoint and outcome',
    labelNames: ['provider', 'endpoint', 'outcome'],
    registers: [this.registry],
  });
  private readonly providerDuration = new Histogram({
    name: 'gatehouse_provider_request_duration_seconds',
    help: 'Latency of calls to identity and sign-in providers',
    labelNames: ['provider', 'endpoint'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  /** Store and Redis outages, by backend (`sqlite`, `mongo`, `redis`, `unknown`). */
  private readonly storeErrors = new Counter({
    name: 'gatehouse_store_errors_total',
    help: 'Operations refused or skipped because the store or Redis was unavailable, by backend',
    labelNames: ['store'],
    registers: [this.registry],
  });
  private readonly jwksFetches = new Counter({
    name: 'gatehouse_jwks_fetches_total',
    help: 'JWKS documents fetched from identity providers, by outcome',
    labelNames: ['provider', 'outcome'],
    registers: [this.registry],
  });

  constructor(
    private readonly events: SecurityEvents,
    private readonly calls: OutboundCalls,
    private readonly outbox: OutboxMonitor,
    private readonly clock: Clock,
    private readonly faults: StoreFaults,
  ) {}

  onModuleInit(): void {
    collectDefaultMetrics({ register: this.registry, prefix: 'gatehouse_' });
    this.outboxMetrics();
    this.events.subscribe((event) => this.countEvent(event));
    this.faults.subscribe((store) => this.storeErrors.labels(store).inc());
    this.calls.subscribe((call) => {
      this.providerCalls.labels(call.provider, call.endpoint, call.outcome).inc();
      this.providerDuration.labels(call.provider, call.endpoint).observe(call.seconds);
      if (call.endpoint === 'jwks') this.jwksFetches.labels(call.provider, call.outcome).inc();
    });
  }

  private countEvent(event: RecordedSecurityEvent): void {
    this.securityEvents.labels(event.type).inc();
    const method = event.method ?? 'unknown';
    const provider = event.provider ?? 'unknown';
    switch (event.type) {
      case 'sign_in.succeeded':
        return void this.signIns.labels(method, provider, 'success').inc();
      case 'sign_in.second_factor_pending':
        return void this.signIns.labels(method, provider, 'second_factor_pending').inc();
      case 'sign_in.failed':
        return void this.signIns.labels(method, provider, event.reason ?? 'unknown').inc();
      case 'refresh.rotated':
        return void this.refreshes.labels('rotated').inc();
      case 'refresh.reused_within_grace':
        return void this.refreshes.labels('reused_within_grace').inc();
      case 'refresh.reuse_detected':
        return void this.refreshes.labels('reuse_detected').inc();
      case 'refresh.failed':
        return void this.refreshes.labels(`refused_${event.reason ?? 'unknown'}`).inc();
      case 'ban.added':
        return void this.bans.labels('added', event.actorId ? 'manual' : 'automatic').inc();
      case 'ban.lifted':
        return void this.bans.labels('lifted', event.actorId ? 'manual' : 'automatic').inc();
      case 'limit.exceeded':
        return void this.limitHits.labels(event.reason ?? 'unknown').inc();
      default:
        return;
    }
  }

  /** Read at scrape time from the outbox monitor (the store's counts, the worker's totals). */
  private outboxMetrics(): void {
    const outbox = this.outbox;
    new Gauge({
      name: 'gatehouse_outbox_messages',
      help: 'Outbox messages by status (pending: waiting to be sent; dead: given up)',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        try {
          const health = await outbox.health();
          this.labels('pending').set(health.pending);
          this.labels('dead').set(health.dead);
        } catch {
          // The store is unreachable: the gauges keep their last values; readiness reports the outage.
        }
      },
    });
    new Gauge({
      name: 'gatehouse_outbox_consecutive_failures',
      help: 'Delivery attempts that failed in a row (0 after a success)',
      registers: [this.registry],
      async collect() {
        try {
          this.set((await outbox.health()).consecutiveFailures);
        } catch {
          // as above
        }
      },
    });
    const clock = this.clock;
    new Gauge({
      name: 'gatehouse_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest pending outbox message (0 when none is pending)',
      registers: [this.registry],
      async collect() {
        try {
          const oldest = await outbox.oldestPendingAt();
          this.set(oldest ? Math.max(0, (clock.now().getTime() - oldest.getTime()) / 1000) : 0);
        } catch {
          // as above
        }
      },
    });
    new Counter({
      name: 'gatehouse_outbox_deliveries_total',
      help: 'Outbox delivery attempts of this process by outcome (sent, failed)',
      labelNames: ['outcome'],
      registers: [this.registry],
      collect() {
        const totals = outbox.deliveries;
        this.reset();
        this.labels('sent').inc(totals.delivered);
        this.labels('failed').inc(totals.failed);
      },
    });
  }
}
