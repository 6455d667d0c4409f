import { timingSafeEqual, createHash } from 'node:crypto';
import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest, FastifyReply } from 'fastify';
import { Public } from '../common/access.decorators';
import { CommonErrors, DomainError } from '../common/errors';
import { OperationsConfig } from '../config';
import { GatehouseMetrics } from './metrics.registry';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /metrics (Prometheus text format) for a scraper presenting METRICS_TOKEN as a bearer
 * token; anything else is 401 (AU-02). Not an account token: the scraper needs no user.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly expected: Buffer;

  constructor(
    private readonly metrics: GatehouseMetrics,
    config: OperationsConfig,
  ) {
    this.expected = digest(config.metricsToken ?? '');
  }

  @Get()
  async scrape(@Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    const header = req.headers.authorization;
    const presented = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : null;
    // Compared as digests: equal length, constant time.
    if (presented === null || !timingSafeEqual(digest(presented), this.expected)) {
      throw new DomainError(CommonErrors.UNAUTHORIZED, { message: 'A valid metrics token is required.' });
    }
    const body = await this.metrics.registry.metrics();
    void res.header('Content-Type', this.metrics.registry.contentType).header('Cache-Control', 'no-store').send(body);
  }
}
