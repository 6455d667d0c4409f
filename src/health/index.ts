export { HealthModule } from './health.module';
export { LifecycleState } from './lifecycle.state';
export { HealthErrors } from './health.errors';
export { registerLivenessRoute } from './liveness.route';
