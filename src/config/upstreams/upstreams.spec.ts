import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_ENDPOINT_FORWARD_HEADERS, DEFAULT_MCP_FORWARD_HEADERS } from './forward-headers';
import { loadUpstreams } from './load-upstreams';
import { isDeniedTemplateVariable, templateEnvironment } from './template-env';

function file(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-upstreams-'));
  const p = path.join(dir, 'librechat.yaml');
  fs.writeFileSync(p, text);
  return p;
}

describe('upstreams file (CONFIG_PATH)', () => {
  it("reads custom endpoints and MCP servers in librechat.yaml's shape, ignoring the rest", () => {
    const problems: string[] = [];
    const p = file(`
version: 1.2.1
interface: { privacyPolicy: { externalUrl: https://x } }
endpoints:
  custom:
    - name: Cognito-API
      apiKey: "\${API_KEY}"
      baseURL: https://api.example/v1
      headers:
        Authorization: "Bearer {{LIBRECHAT_OPENID_TOKEN}}"
mcpServers:
  tools:
    type: streamable-http
    url: https://mcp.example/mcp
    headers: { X-User-ID: "{{LIBRECHAT_USER_ID}}" }
  local:
    command: npx
    args: ["-y", "server", "{{LIBRECHAT_USER_EMAIL}}"]
    env: { TOKEN: "{{LIBRECHAT_OPENID_ACCESS_TOKEN}}" }
`);
    const upstreams = loadUpstreams(p, { API_KEY: 'k' }, problems);
    expect(problems).toEqual([]);
    expect(upstreams.endpoints.get('Cognito-API')).toEqual({
      kind: 'endpoint',
      name: 'Cognito-API',
      baseUrl: 'https://api.example/v1',
      headers: { Authorization: 'Bearer {{LIBRECHAT_OPENID_TOKEN}}' },
      forwardHeaders: DEFAULT_ENDPOINT_FORWARD_HEADERS,
    });
    expect(upstreams.mcp.get('tools')?.baseUrl).toBe('https://mcp.example/mcp');
    expect(upstreams.stdio.get('local')).toEqual({
      name: 'local',
      command: 'npx',
      args: ['-y', 'server', '{{LIBRECHAT_USER_EMAIL}}'],
      env: { TOKEN: '{{LIBRECHAT_OPENID_ACCESS_TOKEN}}' },
    });
  });

  it('names the file and entry for unset variables, secrets, bad URLs and bad YAML', () => {
    const problems: string[] = [];
    const p = file(`
endpoints:
  custom:
    - name: a
      baseURL: "ftp://files.example"
    - name: b
      baseURL: https://b.example
      headers: { X-Key: "\${MISSING_KEY}", X-Secret: "\${JWT_SECRET}" }
`);
    loadUpstreams(p, {}, problems);
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining('endpoints.custom.0.baseURL must be an http(s) URL')]));
    const second: string[] = [];
    const q = file(`
endpoints:
  custom:
    - name: b
      baseURL: https://b.example
      headers: { X-Key: "\${MISSING_KEY}", X-Secret: "\${JWT_SECRET}", X-Client: "\${GOOGLE_CLIENT_SECRET}" }
`);
    loadUpstreams(q, {}, second);
    expect(second).toContain(`CONFIG_PATH: ${q}: endpoints.custom[0].headers.X-Key refers to \${MISSING_KEY}, which is not set`);
    expect(second).toContain(
      `CONFIG_PATH: ${q}: endpoints.custom[0].headers.X-Secret refers to \${JWT_SECRET}, a secret that is never expanded into templates`,
    );
    expect(second.some((line) => line.includes('${GOOGLE_CLIENT_SECRET}, a secret'))).toBe(true);
    const broken: string[] = [];
    loadUpstreams(file('endpoints: [unclosed'), {}, broken);
    expect(broken[0]).toMatch(/is not valid YAML/);
  });

  it('keeps secrets out of the template environment', () => {
    const env = templateEnvironment({
      OPENAI_API_KEY: 'sk',
      JWT_SECRET: 'j',
      CREDS_KEY: 'c',
      OPENID_CLIENT_SECRET: 'o',
      OPENID_CORP_CLIENT_SECRET: 'p',
      EMAIL_PASSWORD: 'e',
      MONGO_URI: 'm',
      PATH: '/bin',
    });
    expect(env).toEqual({ OPENAI_API_KEY: 'sk', PATH: '/bin' });
    expect(isDeniedTemplateVariable('REDIS_URI')).toBe(true);
    expect(Object.isFrozen(env)).toBe(true);
  });

  it('TR-11: forwardHeaders replaces the default caller-header allow-list; credentials and address headers are refused', () => {
    const problems: string[] = [];
    const p = file(`
endpoints:
  custom:
    - name: plain
      baseURL: https://plain.example
    - name: narrowed
      baseURL: https://narrow.example
      forwardHeaders: [Accept, X-Tenant]
    - name: greedy
      baseURL: https://greedy.example
      forwardHeaders: [X-Forwarded-For, Cookie]
      headers: { X-User-ID: "{{LIBRECHAT_USER_ID}}", x-user-id: "other" }
mcpServers:
  tools: { type: streamable-http, url: https://mcp.example/mcp }
  constructor: { type: sse, url: https://proto.example/sse }
`);
    const upstreams = loadUpstreams(p, {}, problems);
    expect(upstreams.endpoints.get('plain')?.forwardHeaders).toEqual(DEFAULT_ENDPOINT_FORWARD_HEADERS);
    expect(upstreams.endpoints.get('narrowed')?.forwardHeaders).toEqual(['accept', 'x-tenant']);
    expect(upstreams.mcp.get('tools')?.forwardHeaders).toEqual(DEFAULT_MCP_FORWARD_HEADERS);
    expect(upstreams.mcp.get('tools')?.forwardHeaders).toEqual(expect.arrayContaining(['mcp-session-id', 'mcp-protocol-version']));
    expect(upstreams.mcp.get('constructor')?.baseUrl).toBe('https://proto.example/sse');
    expect(upstreams.mcp.get('toString')).toBeUndefined();
    expect(problems).toEqual([
      `CONFIG_PATH: ${p}: endpoints.custom.2.headers has both X-User-ID and x-user-id; header names are case-insensitive`,
      `CONFIG_PATH: ${p}: endpoints.custom.2.forwardHeaders lists x-forwarded-for, a credential, hop-by-hop or address header that is never forwarded`,
      `CONFIG_PATH: ${p}: endpoints.custom.2.forwardHeaders lists cookie, a credential, hop-by-hop or address header that is never forwarded`,
    ]);
  });
});
