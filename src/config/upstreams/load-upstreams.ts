import * as fs from 'node:fs';
import type { Env } from '../load-config';
import { BALANCE_OFF, loadBalance, type BalanceSettings } from './balance-section';
import { checkConfiguredHeaderNames, forwardHeadersOf } from './forward-headers';
import { isDeniedTemplateVariable } from './template-env';
import type { StdioServerTemplate, UpstreamTarget } from './upstreams.schema';
import { NO_UPSTREAMS, upstreamsFileSchema, type Upstreams } from './upstreams.schema';

const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Reads CONFIG_PATH at boot. Problems name the file and the entry: a malformed file, an invalid
 * entry, a `${VAR}` that is not set, or one that names a secret Gatehouse never hands out.
 */
export function loadUpstreams(file: string | null, env: Env, problems: string[]): Upstreams {
  return loadConfigFile(file, env, problems).upstreams;
}

/**
 * Reads CONFIG_PATH once and returns what Gatehouse takes from it: the upstreams and the
 * `balance` section (combined with LibreChat's legacy balance variables, which apply without a
 * file too).
 */
export function loadConfigFile(file: string | null, env: Env, problems: string[]): { upstreams: Upstreams; balance: BalanceSettings } {
  if (!file) return { upstreams: NO_UPSTREAMS, balance: loadBalance(null, undefined, env, problems) };
  let raw: unknown;
  try {
    // yaml is required only when CONFIG_PATH is set, not by every start.
    const { parse: parseYaml } = require('yaml') as typeof import('yaml');
    raw = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`CONFIG_PATH: ${file} is not valid YAML (${(error as Error).message.split('\n')[0]})`);
    return { upstreams: NO_UPSTREAMS, balance: BALANCE_OFF };
  }
  return { upstreams: upstreamsFrom(file, raw, env, problems), balance: loadBalance(file, raw, env, problems) };
}

function upstreamsFrom(file: string, raw: unknown, env: Env, problems: string[]): Upstreams {
  const parsed = upstreamsFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`CONFIG_PATH: ${file}: ${issue.path.join('.')} ${issue.message}`);
    return NO_UPSTREAMS;
  }
  const endpoints = new Map<string, UpstreamTarget>();
  const mcp = new Map<string, UpstreamTarget>();
  const stdio = new Map<string, StdioServerTemplate>();
  for (const [i, endpoint] of (parsed.data.endpoints?.custom ?? []).entries()) {
    if (endpoints.has(endpoint.name)) problems.push(`CONFIG_PATH: ${file}: endpoints.custom "${endpoint.name}" is defined twice`);
    const where = `CONFIG_PATH: ${file}: endpoints.custom.${i}`;
    checkConfiguredHeaderNames(endpoint.headers, where, problems);
    const forwardHeaders = forwardHeadersOf('endpoint', endpoint.forwardHeaders, where, problems);
    endpoints.set(endpoint.name, { kind: 'endpoint', name: endpoint.name, baseUrl: endpoint.baseURL, headers: endpoint.headers ?? {}, forwardHeaders });
  }
  for (const [name, server] of Object.entries(parsed.data.mcpServers ?? {})) {
    if ('url' in server) {
      const where = `CONFIG_PATH: ${file}: mcpServers.${name}`;
      checkConfiguredHeaderNames(server.headers, where, problems);
      const forwardHeaders = forwardHeadersOf('mcp', server.forwardHeaders, where, problems);
      mcp.set(name, { kind: 'mcp', name, baseUrl: server.url, headers: server.headers ?? {}, forwardHeaders });
    } else {
      stdio.set(name, { name, command: server.command, args: server.args ?? [], env: server.env ?? {} });
    }
  }
  checkReferences(file, parsed.data, env, problems);
  const upstreams: Upstreams = { endpoints, mcp, stdio };
  return upstreams;
}

function checkReferences(file: string, data: unknown, env: Env, problems: string[]): void {
  const seen = new Set<string>();
  const visit = (value: unknown, where: string) => {
    if (typeof value === 'string') {
      for (const [, name] of value.matchAll(ENV_REFERENCE)) {
        const key = `${where}:${name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (isDeniedTemplateVariable(name))
          problems.push(`CONFIG_PATH: ${file}: ${where} refers to \${${name}}, a secret that is never expanded into templates`);
        else if (env[name] === undefined) problems.push(`CONFIG_PATH: ${file}: ${where} refers to \${${name}}, which is not set`);
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${where}[${i}]`));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, where ? `${where}.${k}` : k);
    }
  };
  const { endpoints, mcpServers } = data as { endpoints?: unknown; mcpServers?: unknown };
  visit({ endpoints, mcpServers }, '');
}
