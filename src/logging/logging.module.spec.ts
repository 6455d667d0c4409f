import pino from 'pino';
import { Writable } from 'node:stream';
import { REDACTED_PATHS, maskUrl } from './logging.module';

describe('log redaction (LG-02)', () => {
  function capture(): { logger: pino.Logger; lines: string[] } {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    return { logger: pino({ redact: { paths: REDACTED_PATHS, censor: '[Redacted]' } }, stream), lines };
  }

  it('masks Authorization, cookies, Set-Cookie and token/password fields', () => {
    const { logger, lines } = capture();
    logger.info({
      req: { headers: { authorization: 'Bearer eyJ.secret.sig', cookie: 'refreshToken=abc123' } },
      res: { headers: { 'set-cookie': ['refreshToken=abc123; HttpOnly'] } },
      body: { password: 'hunter2hunter2', refreshToken: 'r-tok', id_token: 'id-tok' },
    });
    const out = lines.join('');
    for (const secret of ['eyJ.secret.sig', 'abc123', 'hunter2hunter2', 'r-tok', 'id-tok']) expect(out).not.toContain(secret);
    expect(out).toContain('[Redacted]');
  });

  it('masks OAuth codes, states and reset tokens in logged URLs', () => {
    expect(maskUrl('/oauth/google/callback?code=abc&state=xyz&scope=email')).toBe(
      '/oauth/google/callback?code=%5BRedacted%5D&state=%5BRedacted%5D&scope=email',
    );
    expect(maskUrl('/reset?token=t0k3n')).not.toContain('t0k3n');
    expect(maskUrl('/health')).toBe('/health');
    expect(maskUrl('/oauth/saml/callback?SAMLResponse=PHNhbWw%2B')).not.toContain('PHNhbWw');
  });
});
