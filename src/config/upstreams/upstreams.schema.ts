import { z } from 'zod';

const headerMap = z.record(z.string().min(1).max(200).regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'is not a valid header name'), z.string().max(8192));

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http(s) URL');

const endpoint = z.object({
  name: z.string().min(1).max(100).regex(/^[A-Za-z0-9_.-]+$/, 'may contain letters, digits, _ . - only'),
  baseURL: httpUrl,
  headers: headerMap.optional(),
});

const remoteServer = z.object({
  type: z.enum(['sse', 'streamable-http', 'http']),
  url: httpUrl,
  headers: headerMap.optional(),
});

const stdioServer = z.object({
  type: z.literal('stdio').optional(),
  command: z.string().min(1),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
});

/**
 * The subset of LibreChat's librechat.yaml Gatehouse reads: custom endpoints and MCP servers.
 * Everything else in the file is allowed and ignored, so one file can serve both.
 */
export const upstreamsFileSchema = z
  .object({
    endpoints: z.object({ custom: z.array(endpoint).optional() }).passthrough().optional(),
    mcpServers: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'may contain letters, digits, _ . - only'), z.union([remoteServer, stdioServer])).optional(),
  })
  .passthrough();

export interface UpstreamTarget {
  kind: 'endpoint' | 'mcp';
  name: string;
  /** Where requests go; only this origin ever receives resolved headers (TR-09). */
  baseUrl: string;
  headers: Record<string, string>;
}

export interface StdioServerTemplate {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface Upstreams {
  endpoints: Record<string, UpstreamTarget>;
  mcp: Record<string, UpstreamTarget>;
  /** stdio MCP servers: their `env`/`args` are resolved through the resolver API only. */
  stdio: Record<string, StdioServerTemplate>;
}

export const NO_UPSTREAMS: Upstreams = { endpoints: {}, mcp: {}, stdio: {} };
