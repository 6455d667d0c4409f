import { Module } from '@nestjs/common';
import { FederatedTokenHub } from './federated-token.source';
import { ForwardingController } from './forwarding/forwarding.controller';
import { UpstreamForwarder } from './forwarding/upstream-forwarder';
import { TemplateResolver } from './template-resolver';

/**
 * Template variables for downstream services: the resolver other modules inject, and the
 * forwarding routes that put it to work. The OpenID module plugs its token source into the hub.
 */
@Module({
  controllers: [ForwardingController],
  providers: [TemplateResolver, UpstreamForwarder, FederatedTokenHub],
  exports: [TemplateResolver, FederatedTokenHub],
})
export class TemplatesModule {}
