// A minimal OpenID Provider for benchmarks, in the bench process: discovery, JWKS, an
// authorization endpoint that signs the user in at once, and a token endpoint issuing RS256 ID
// tokens bound to the request's nonce. It counts JWKS fetches, the figure the OpenID benchmark
// reports. Correctness of the flow is proven by the e2e suites against oidc-provider; this only
// has to be fast and countable.
const { createHash, generateKeyPairSync, randomBytes, sign } = require('node:crypto');
const http = require('node:http');
const { URL, URLSearchParams } = require('node:url');

function b64(json) {
  return Buffer.from(JSON.stringify(json)).toString('base64url');
}

async function startMiniIdp({ clientId, sub, email }) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map();
  const counts = { jwks: 0, token: 0 };
  let issuer = '';

  const idToken = (nonce) => {
    const now = Math.floor(Date.now() / 1000);
    const input = `${b64({ alg: 'RS256', kid, typ: 'JWT' })}.${b64({ iss: issuer, sub, aud: clientId, iat: now, exp: now + 3600, nonce, email, email_verified: true, preferred_username: 'bench' })}`;
    return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, issuer);
    const json = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_post'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') {
      counts.jwks += 1;
      return json(200, { keys: [jwk] });
    }
    if (url.pathname === '/auth') {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { nonce: url.searchParams.get('nonce'), challenge: url.searchParams.get('code_challenge') });
      const back = new URL(url.searchParams.get('redirect_uri'));
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state'));
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        counts.token += 1;
        const form = new URLSearchParams(raw);
        const entry = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (!entry || createHash('sha256').update(verifier).digest('base64url') !== entry.challenge) return json(400, { error: 'invalid_grant' });
        json(200, {
          access_token: randomBytes(24).toString('base64url'),
          id_token: idToken(entry.nonce),
          refresh_token: randomBytes(24).toString('base64url'),
          token_type: 'Bearer',
          expires_in: 3600,
        });
      });
      return undefined;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${server.address().port}`;
  return {
    issuer,
    counts,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }),
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

module.exports = { startMiniIdp };
