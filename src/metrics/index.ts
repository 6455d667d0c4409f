export { MetricsModule } from './metrics.module';
export { GatehouseMetrics } from './metrics.registry';
export { requestMetricsHook } from './request-metrics.hook';
