import fastify from 'fastify';
import { loadConfig, type Env } from '../config';
import { addressKey, bindClientAddress, clientAddress, normaliseIp, type ClientAddress } from './client-ip';

describe('normaliseIp (MB-03, MB-04, MB-15: one spelling per address)', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['203.0.113.7:51234', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['0:0:0:0:0:ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:cb00:7107', '203.0.113.7'],
    ['[::ffff:203.0.113.7]:443', '203.0.113.7'],
    ['[2001:DB8:0:0:0:0:0:1]:443', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::1', '::1'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseIp(raw)).toBe(expected);
  });
});

describe('addressKey (MB-15: IPv6 clients are keyed by their network)', () => {
  it.each([
    ['2001:db8:1:1ff:abcd::2', 56, '2001:db8:1:100::/56'],
    ['2001:db8:1:100::1', 56, '2001:db8:1:100::/56'],
    ['2001:db8:1:200::1', 56, '2001:db8:1:200::/56'],
    ['2001:db8:1:1ff:abcd::2', 64, '2001:db8:1:1ff::/64'],
    ['2001:db8:1:1ff:abcd::2', 48, '2001:db8:1::/48'],
    ['2001:db8:1:1ff:abcd::2', 128, '2001:db8:1:1ff:abcd::2'],
    ['203.0.113.7', 56, '203.0.113.7'],
    ['::1', 56, '::/56'],
  ])('%s /%d → %s', (ip, prefix, expected) => {
    expect(addressKey(ip, prefix)).toBe(expected);
  });
});

/**
 * The address the service would decide for a request from `peer`: a Fastify app with the configured
 * TRUST_PROXY (as createApp builds it) binds the request the way the service's first hook does.
 */
async function addressFrom(env: Env, peer: string, forwardedFor?: string): Promise<{ address: ClientAddress; warnings: string[] }> {
  const loaded = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const app = fastify({ trustProxy: loaded.config.server.trustProxy });
  const policy = { ipv6SubnetPrefix: loaded.config.server.ipv6SubnetPrefix };
  app.addHook('onRequest', (request, _reply, done) => {
    bindClientAddress(request.raw, request, policy);
    done();
  });
  app.get('/', (request) => clientAddress(request));
  try {
    const res = await app.inject({ url: '/', remoteAddress: peer, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
    return { address: res.json<ClientAddress>(), warnings: loaded.config.warnings };
  } finally {
    await app.close();
  }
}

const ipFrom = async (env: Env, peer: string, forwardedFor?: string) => (await addressFrom(env, peer, forwardedFor)).address.ip;

describe('clientAddress with the configured TRUST_PROXY (MB-14)', () => {
  it('MB-14 by default a client connecting directly from a public address cannot choose its address with X-Forwarded-For', async () => {
    expect((await addressFrom({}, '203.0.113.9', '198.51.100.7')).address).toEqual({ ip: '203.0.113.9', key: '203.0.113.9' });
    expect(await ipFrom({}, '::ffff:203.0.113.9', '198.51.100.7')).toBe('203.0.113.9');
    expect(await ipFrom({}, '2001:db8:9::1', '198.51.100.7')).toBe('2001:db8:9::1');
  });

  it('MB-14 by default a proxy on the host or a private network is believed', async () => {
    expect(await ipFrom({}, '127.0.0.1', '198.51.100.7')).toBe('198.51.100.7');
    expect(await ipFrom({}, '10.1.2.3', '198.51.100.7')).toBe('198.51.100.7');
    expect((await addressFrom({}, '::ffff:192.168.1.4', '2001:db8:1:1ff::9')).address).toEqual({ ip: '2001:db8:1:1ff::9', key: '2001:db8:1:100::/56' });
    // Only the hop the trusted proxy added counts: a client's own X-Forwarded-For entries are skipped.
    expect(await ipFrom({}, '10.1.2.3', '1.1.1.1, 203.0.113.50')).toBe('203.0.113.50');
  });

  it('MB-14 a proxy list that does not name the peer ignores its X-Forwarded-For; IPV6_SUBNET_PREFIX is honoured', async () => {
    expect(await ipFrom({ TRUST_PROXY: '10.0.0.0/8' }, '127.0.0.1', '198.51.100.7')).toBe('127.0.0.1');
    expect((await addressFrom({ IPV6_SUBNET_PREFIX: '64' }, '2001:db8:1:1ff:abcd::2')).address.key).toBe('2001:db8:1:1ff::/64');
  });

  it('MB-14 a setting that trusts public peers boots with a warning; the default does not', async () => {
    for (const setting of ['true', '1', '2']) {
      const { warnings, address } = await addressFrom({ TRUST_PROXY: setting }, '203.0.113.9', '198.51.100.7');
      expect(warnings.join('\n')).toMatch(/TRUST_PROXY: .*can choose its address with X-Forwarded-For/);
      if (setting !== '2') expect(address.ip).toBe('198.51.100.7');
    }
    for (const setting of [undefined, 'false', '0', 'loopback', '10.0.0.0/8, 192.168.0.0/16']) {
      const { warnings } = await addressFrom(setting === undefined ? {} : { TRUST_PROXY: setting }, '203.0.113.9');
      expect(warnings.join('\n')).not.toMatch(/TRUST_PROXY/);
    }
  });

  it('MB-14 a trust-proxy list the address rule would refuse is refused at boot', () => {
    for (const bad of ['0.0.0.0/0', '10.0.0.0/33', '999.1.1.1', 'proxy.example']) {
      const loaded = loadConfig({ NODE_ENV: 'test', TRUST_PROXY: bad });
      expect(loaded.ok).toBe(false);
    }
    expect(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8, 2001:db8::1' }).ok).toBe(true);
  });

  it('MB-15 IPV6_SUBNET_PREFIX is validated (32..128)', () => {
    for (const bad of ['31', '129', 'abc']) {
      const loaded = loadConfig({ NODE_ENV: 'test', IPV6_SUBNET_PREFIX: bad });
      expect(loaded.ok).toBe(false);
      if (!loaded.ok) expect(loaded.problems.join('\n')).toMatch(/IPV6_SUBNET_PREFIX/);
    }
  });
});
