// A minimal SMTP server for benchmarks: accepts every message on loopback and counts it.
const { SMTPServer } = require('smtp-server');

async function startSmtpSink({ port = 0, delayMs = 0 } = {}) {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received += 1;
        if (delayMs) setTimeout(() => callback(), delayMs);
        else callback();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    port: server.server.address().port,
    get received() {
      return received;
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

module.exports = { startSmtpSink };
