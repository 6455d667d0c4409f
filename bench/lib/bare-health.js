// Baseline servers for the /health benchmark: plain Express, or with --fastify plain Fastify,
// answering the same route with the same body, each in its own process so that it does not share
// an event loop with the load generator. The shell bench sets Gatehouse against the faster one.
const port = Number(process.argv[2]);
const body = { status: 'ok' };

if (process.argv.includes('--fastify')) {
  const app = require('fastify')();
  app.get('/health', () => body);
  app.listen({ port, host: '127.0.0.1' }).then(() => process.stdout.write('READY\n'));
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
} else {
  const app = require('express')();
  app.get('/health', (_req, res) => res.json(body));
  const server = app.listen(port, '127.0.0.1', () => process.stdout.write('READY\n'));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
