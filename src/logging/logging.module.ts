import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { ServerConfig } from '../config';
import { REDACTED_PATHS } from './log-redaction';

export { accessLogHook } from './access-log.hook';
export { REDACTED_PATHS, maskUrl } from './log-redaction';

@Module({})
export class LoggingModule {
  static forRoot(server: ServerConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          // Only the root logger (with redaction) is taken from pino-http: its per-request middleware
          // is mounted on no route; createApp installs accessLogHook, which writes the access log.
          pinoHttp: { level: server.logLevel, redact: { paths: REDACTED_PATHS, censor: '[Redacted]' } },
          forRoutes: [],
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
