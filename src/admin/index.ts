export { AdminModule } from './admin.module';
export { AdminErrors } from './admin.errors';
