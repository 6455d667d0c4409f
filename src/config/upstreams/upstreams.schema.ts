import { z } from 'zod';

const headerName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'is not a valid header name');
const headerMap = z.record(headerName, z.string().max(8192));
/** Gatehouse's own key: the caller headers this upstream receives, replacing the default list (TR-11). */
const forwardHeaders = z.array(headerName).max(100);

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http(s) URL');

const endpoint = z.object({
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_.-]+$/, 'may contain letters, digits, _ . - only'),
  baseURL: httpUrl,
  headers: headerMap.optional(),
  forwardHeaders: forwardHeaders.optional(),
});

const remoteServer = z.object({
  type: z.enum(['sse', 'streamable-http', 'http']),
  url: httpUrl,
  headers: headerMap.optional(),
  forwardHeaders: forwardHeaders.optional(),
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
    endpoints: z
      .object({ custom: z.array(endpoint).optional() })
      .passthrough()
      .optional(),
    mcpServers: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'may contain letters, digits, _ . - only'), z.union([remoteServer, stdioServer])).optional(),
  })
  .passthrough();

export interface UpstreamTarget {
  kind: 'endpoint' | 'mcp';
  name: string;
  /** Where requests go; only this origin ever receives resolved headers (TR-09). */
  baseUrl: string;
  headers: Record<string, string>;
  /**
   * Lower-case names of the caller's headers passed on (TR-11): `forwardHeaders` of the entry, or
   * the default list of its kind. Configured `headers` always replace a caller header of the same
   * name, whatever its case.
   */
  forwardHeaders: readonly string[];
}

export interface StdioServerTemplate {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * Maps, not plain objects: a name from the URL (`constructor`, `__proto__`, `toString`) must find
 * nothing rather than something inherited (LG-05).
 */
export interface Upstreams {
  endpoints: ReadonlyMap<string, UpstreamTarget>;
  mcp: ReadonlyMap<string, UpstreamTarget>;
  /** stdio MCP servers: their `env`/`args` are resolved through the resolver API only. */
  stdio: ReadonlyMap<string, StdioServerTemplate>;
}

export const NO_UPSTREAMS: Upstreams = { endpoints: new Map(), mcp: new Map(), stdio: new Map() };
