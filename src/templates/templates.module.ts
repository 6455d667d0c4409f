import { Module } from '@nestjs/common';
import { FederatedTokenSource, NoFederatedTokens } from './federated-token.source';
import { ForwardingController } from './forwarding/forwarding.controller';
import { UpstreamForwarder } from './forwarding/upstream-forwarder';
import { TemplateResolver } from './template-resolver';

/**
 * Template variables for downstream services: the resolver other modules inject, and the
 * forwarding routes that put it to work. The OpenID module supplies FederatedTokenSource.
 */
@Module({
  controllers: [ForwardingController],
  providers: [TemplateResolver, UpstreamForwarder, { provide: FederatedTokenSource, useClass: NoFederatedTokens }],
  exports: [TemplateResolver],
})
export class TemplatesModule {}
