import { upstreamUrl } from './upstream-request';

describe('upstreamUrl (TR-09: resolved headers only ever go to the configured base)', () => {
  it('joins sub-path and query under the base path', () => {
    expect(upstreamUrl('https://api.example/v1/', '/chat/completions', '?stream=true').href).toBe('https://api.example/v1/chat/completions?stream=true');
    expect(upstreamUrl('https://api.example', '', '').href).toBe('https://api.example/');
  });

  it.each(['/..', '/%2e%2e/admin', '/a/%2E/b', '/%2e'])('refuses dot-segments (%s)', (sub) => {
    expect(() => upstreamUrl('https://api.example/v1', sub, '')).toThrow(expect.objectContaining({ code: 'INVALID_UPSTREAM_PATH' }));
  });

  it('keeps encoded separators and host-like segments inside the path', () => {
    expect(upstreamUrl('https://api.example/v1', '//evil.example/x', '').href).toBe('https://api.example/v1/evil.example/x');
    expect(upstreamUrl('https://api.example/v1', '/a%2F..%2Fb', '').href).toBe('https://api.example/v1/a%2F..%2Fb');
    expect(upstreamUrl('https://api.example/v1', '/%252e%252e', '').href).toBe('https://api.example/v1/%252e%252e');
  });

  it('refuses malformed escapes', () => {
    expect(() => upstreamUrl('https://api.example', '/%E0%A4%A', '')).toThrow(expect.objectContaining({ code: 'INVALID_UPSTREAM_PATH' }));
  });
});
