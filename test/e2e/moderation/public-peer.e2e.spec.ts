import type { RunningApp } from '../../support/app.harness';
import { createTestHost, testHostAvailable, type TestHost } from '../../support/netns/test-host';
import { startModeratedApp } from './moderation-helpers';

const describeHost = testHostAvailable() ? describe : describe.skip;
if (!testHostAvailable()) console.warn('skipped: the public-peer suite needs root and iproute2 for a network namespace');

/**
 * A client that connects directly from a public address (a second host in a network namespace,
 * TEST-NET-3) with the default TRUST_PROXY: its X-Forwarded-For must not choose its address.
 */
describeHost('a direct public peer cannot choose its address (default TRUST_PROXY)', () => {
  let host: TestHost;
  let app: RunningApp;

  beforeAll(async () => {
    host = createTestHost();
    app = await startModeratedApp({ HOST: host.appAddress, TRUST_PROXY: '', LOGIN_MAX: '3' });
  });
  afterAll(async () => {
    await app?.stop();
    host?.destroy();
  });

  it("MB-14 spoofed X-Forwarded-For values all land in the peer's own login bucket: the fourth attempt is limited", async () => {
    const script = `
      (async () => {
        const out = [];
        for (let i = 0; i < 6; i++) {
          const res = await fetch(${JSON.stringify(`${app.url}/api/auth/login`)}, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.' + (i + 10) },
            body: JSON.stringify({ email: 'nobody@example.com', password: 'not-the-password' }),
          });
          out.push(res.status);
        }
        process.stdout.write(JSON.stringify(out));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const statuses = JSON.parse(await host.run(script)) as number[];
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
  });
});
