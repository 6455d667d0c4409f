import { maskBody, maskHeaders, maskUrl } from './debug-masking';

describe('DEBUG_OPENID_REQUESTS masking', () => {
  it('masks credentials in headers and token-endpoint forms, keeping the rest readable', () => {
    expect(maskHeaders({ authorization: 'Basic abc', accept: 'application/json' })).toEqual({ authorization: '***(9)', accept: 'application/json' });
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code: 'the-code',
      code_verifier: 'v',
      client_secret: 's3cret',
      redirect_uri: 'https://app/cb',
      refresh_token: 'rt',
    });
    expect(maskBody(form)).toEqual({
      grant_type: 'authorization_code',
      code: '***(8)',
      code_verifier: '***(1)',
      client_secret: '***(6)',
      redirect_uri: 'https://app/cb',
      refresh_token: '***(2)',
    });
  });

  it('masks tokens in JSON responses, nested too', () => {
    const masked = maskBody({ access_token: 'a.b.c', id_token: 'x.y.z', token_type: 'Bearer', nested: { refresh_token: 'r' }, expires_in: 3600 }) as Record<
      string,
      unknown
    >;
    expect(JSON.stringify(masked)).not.toMatch(/a\.b\.c|x\.y\.z|"r"/);
    expect(masked.token_type).toBe('Bearer');
    expect(masked.expires_in).toBe(3600);
  });

  it('masks codes and hints in URLs', () => {
    const url = maskUrl('https://app/cb?code=abc&state=s&id_token_hint=eyJ');
    expect(url).not.toContain('code=abc');
    expect(url).not.toContain('eyJ');
    expect(url).toContain('state=s');
  });
});
