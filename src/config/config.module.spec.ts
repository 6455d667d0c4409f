import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService, type ConfigType } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { configOf } from '../../test/support/config-results';
import { ConfigModule } from './config.module';
import { GatehouseConfig, ServerConfig, SessionConfig } from './config.types';
import { loadConfig } from './load-config';
import { appleConfig, NAMESPACE_NAMES, serverConfig, sessionConfig } from './namespaces';

@Injectable()
class UsesNamespace {
  constructor(@Inject(sessionConfig.KEY) readonly session: ConfigType<typeof sessionConfig>) {}
}

const loaded = () => configOf(loadConfig({ DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cfgmod-')), PORT: '4555', SESSION_EXPIRY: '60000' }));

describe('ConfigModule on @nestjs/config', () => {
  it('registers one namespace per area, injectable as ConfigType, through ConfigService and through the class facades', async () => {
    const config = loaded();
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config)], providers: [UsesNamespace] }).compile();
    expect(moduleRef.get(UsesNamespace).session.accessTokenTtlMs).toBe(60_000);
    expect(moduleRef.get<ConfigType<typeof serverConfig>>(serverConfig.KEY).port).toBe(4555);
    // The facade classes are the very same objects, not copies.
    expect(moduleRef.get(SessionConfig)).toBe(moduleRef.get(sessionConfig.KEY));
    expect(moduleRef.get(ServerConfig)).toBe(config.server);
    expect(moduleRef.get(GatehouseConfig)).toBe(config);
    const service = moduleRef.get(ConfigService);
    // Every part of the validated config (but the boot warnings) is a namespace: a new area cannot be forgotten.
    expect([...NAMESPACE_NAMES].sort()).toEqual(
      Object.keys(config)
        .filter((key) => key !== 'warnings')
        .sort(),
    );
    for (const name of NAMESPACE_NAMES) expect(service.get(name)).toBeDefined();
    expect(service.get<number>('server.port')).toBe(4555);
    expect(moduleRef.get<ConfigType<typeof appleConfig>>(appleConfig.KEY)).toEqual({ settings: null });
    await moduleRef.close();
  });

  it('keeps two apps in one process apart (each forRoot holds its own validated values)', async () => {
    const a = loaded();
    const b = { ...loaded(), server: { ...loaded().server, port: 4666 } };
    const [ma, mb] = await Promise.all([a, b].map((c) => Test.createTestingModule({ imports: [ConfigModule.forRoot(c)] }).compile()));
    expect(ma.get(ServerConfig).port).toBe(4555);
    expect(mb.get(ServerConfig).port).toBe(4666);
    await Promise.all([ma.close(), mb.close()]);
  });

  it('does not read process.env through ConfigService: only validated settings are reachable', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(loaded())] }).compile();
    expect(moduleRef.get(ConfigService).get('PATH')).toBeUndefined();
    await moduleRef.close();
  });

  it('a namespace token read without forRoot says so instead of returning undefined', () => {
    expect(() => sessionConfig()).toThrow(/ConfigModule.forRoot/);
  });
});
