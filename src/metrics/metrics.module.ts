import { DynamicModule, Module } from '@nestjs/common';
import { MailModule } from '../mail';
import { MetricsController } from './metrics.controller';
import { GatehouseMetrics } from './metrics.registry';

/** Prometheus metrics (issue 22); imported only with METRICS_ENABLED=true. */
@Module({})
export class MetricsModule {
  static forRoot(enabled: boolean): DynamicModule {
    if (!enabled) return { module: MetricsModule };
    return { module: MetricsModule, imports: [MailModule], controllers: [MetricsController], providers: [GatehouseMetrics], exports: [GatehouseMetrics] };
  }
}
