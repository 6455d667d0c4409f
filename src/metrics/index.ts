export { MetricsModule } from './metrics.module';
export { GatehouseMetrics } from './metrics.registry';
export { requestMetricsMiddleware } from './request-metrics.middleware';
