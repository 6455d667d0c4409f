import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MailModule } from '../mail';
import { HealthController } from './health.controller';
import { LifecycleState } from './lifecycle.state';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), MailModule],
  controllers: [HealthController],
  providers: [LifecycleState],
  exports: [LifecycleState],
})
export class HealthModule {}
