// Baseline servers for the /health benchmark: plain Express, plain Fastify (--fastify), or the least
// a Nest app on Fastify can be (--nest: one controller, no hooks, guards, pipes or logging),
// answering the same route with the same body, each in its own process so that it does not share
// an event loop with the load generator. The shell bench sets Gatehouse against the faster of
// Express and Fastify; the Nest app shows the framework's own ceiling on this route.
const port = Number(process.argv[2]);
const body = { status: 'ok' };

async function nestApp() {
  require('reflect-metadata');
  const { Controller, Get, Module } = require('@nestjs/common');
  const { NestFactory } = require('@nestjs/core');
  const { FastifyAdapter } = require('@nestjs/platform-fastify');
  class HealthController {
    live() {
      return body;
    }
  }
  Get()(HealthController.prototype, 'live', Object.getOwnPropertyDescriptor(HealthController.prototype, 'live'));
  Controller('health')(HealthController);
  class FloorModule {}
  Module({ controllers: [HealthController] })(FloorModule);
  const app = await NestFactory.create(FloorModule, new FastifyAdapter({ skipMiddie: true }), { logger: false, bodyParser: false });
  await app.init();
  return app.getHttpAdapter().getInstance();
}

async function main() {
  if (process.argv.includes('--fastify') || process.argv.includes('--nest')) {
    const app = process.argv.includes('--nest') ? await nestApp() : require('fastify')();
    if (!process.argv.includes('--nest')) app.get('/health', () => body);
    await app.listen({ port, host: '127.0.0.1' });
    process.stdout.write('READY\n');
    process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
    return;
  }
  const app = require('express')();
  app.get('/health', (_req, res) => res.json(body));
  const server = app.listen(port, '127.0.0.1', () => process.stdout.write('READY\n'));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main().catch((error) => {
  process.stderr.write(`bare-health: ${error.stack || error}\n`);
  process.exit(1);
});
