import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { duration, optStr } from '../fields/env-fields';
import type { BalanceSettings } from '../upstreams/balance-section';
import type { Upstreams } from '../upstreams/upstreams.schema';
import { problem } from './issue';

/**
 * CONFIG_PATH points at the YAML file (LibreChat's librechat.yaml shape) whose `mcpServers` and
 * custom `endpoints` carry the header/env templates resolved server-side.
 */
export const templatesSchema = z
  .object({
    CONFIG_PATH: optStr(),
    UPSTREAM_TIMEOUT: duration(30_000, { min: 100, max: 10 * 60_000 }),
  })
  .superRefine((v, ctx) => {
    if (v.CONFIG_PATH && !isReadableFile(path.resolve(v.CONFIG_PATH))) {
      problem(ctx, 'CONFIG_PATH', `${JSON.stringify(v.CONFIG_PATH)} is not a readable file; expected the path of a YAML config file`);
    }
  })
  .transform((v) => ({
    configPath: v.CONFIG_PATH ? path.resolve(v.CONFIG_PATH) : null,
    /** How long a forwarded request may wait for the upstream's response headers. */
    upstreamTimeoutMs: v.UPSTREAM_TIMEOUT,
  }));

function isReadableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export type TemplateSettings = z.output<typeof templatesSchema> & {
  /** Custom endpoints and MCP servers from CONFIG_PATH. */
  upstreams: Upstreams;
  /** The `balance` section of CONFIG_PATH merged with CHECK_BALANCE / START_BALANCE (issue 15). */
  balance: BalanceSettings;
  /** What `${VAR}` may read: the environment without secrets. */
  env: Readonly<Record<string, string>>;
};
