import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import createClient from 'openapi-fetch';
import { buildApiDocument } from '../../../src/common/openapi';
import { type RunningApp, startApp } from '../../support/app.harness';
import type { paths } from '../../support/api/gatehouse-api';

/** openapi-typescript's dependencies are ES modules jest cannot require: the generator runs as a child process. */
function generateApiTypes(document: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-doc-')), 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(document));
  return execFileSync(process.execPath, [path.join(__dirname, '../../../scripts/api-types.js'), file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/**
 * A client generated from the document (openapi-typescript types, openapi-fetch calls), as an API
 * client would use it. The committed types are compiled by `npm run typecheck`; a change to the
 * document that breaks these calls fails the build once the types are regenerated.
 */
describe('typed client generated from the OpenAPI document', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp({ ALLOW_REGISTRATION: 'true', PASSWORD_HASH_COST: '4' });
  });
  afterAll(() => app.stop());

  it('the committed types match the running document (run `npm run api:generate` after an API change)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '../../support/api/gatehouse-api.ts'), 'utf8');
    expect(generateApiTypes(buildApiDocument(app.app, app.config.server.appTitle))).toBe(committed);
  });

  it('registers, signs in, reads the user and lists sessions through typed calls', async () => {
    const client = createClient<paths>({ baseUrl: app.url });
    const email = 'typed@example.com';
    const password = 'a typed client password';
    const registered = await client.POST('/api/auth/register', { body: { name: 'Typed', email, password, confirm_password: password } });
    expect(registered.data?.message).toEqual(expect.any(String));

    const signedIn = await client.POST('/api/auth/login', { body: { email, password } });
    const data = signedIn.data;
    if (!data || !('token' in data)) throw new Error(`sign-in failed: ${JSON.stringify(signedIn.error)}`);
    const auth = { headers: { Authorization: `Bearer ${data.token}` } };

    const me = await client.GET('/api/user', auth);
    expect(me.data?.email).toBe(email);
    const sessions = await client.GET('/api/auth/sessions', auth);
    expect(sessions.data?.filter((s) => s.current)).toHaveLength(1);

    const refused = await client.POST('/api/auth/login', { body: { email, password: 'not the password at all' } });
    expect(refused.response.status).toBe(401);
    expect(refused.error?.code).toBe('INVALID_CREDENTIALS');
  });
});
