export * from './domain-error';
export * from './error-catalogue';
export { CommonErrors } from './common.errors';
export { HttpErrorFilter } from './http-error.filter';
export { createValidationPipe } from './validation.pipe';
