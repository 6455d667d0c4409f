export * from './api-document';
export * from './api-errors.decorator';
export * from './api-models';
export * from './plain-routes';
