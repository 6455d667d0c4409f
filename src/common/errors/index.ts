export * from './domain-error';
export { HttpErrorFilter } from './http-error.filter';
export { createValidationPipe } from './validation.pipe';
