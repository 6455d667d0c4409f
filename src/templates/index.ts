export { FederatedTokenHub, type FederatedTokens, type FederatedTokenSource, type GraphTokenSource, type HttpExchange } from './federated-token.source';
export { TemplateResolver, type TemplateBindings, type TemplateContext } from './template-resolver';
export { TemplatesModule } from './templates.module';
export { TemplatesErrors } from './templates.errors';
