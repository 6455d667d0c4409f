// Baseline server for benchmarks: plain Express answering the same route, in its own process
// so that it does not share an event loop with the load generator.
const express = require('express');

const app = express();
app.get('/health', (_req, res) => res.json({ status: 'ok' }));
const server = app.listen(Number(process.argv[2]), '127.0.0.1', () => process.stdout.write('READY\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
