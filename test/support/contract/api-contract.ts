import Ajv, { type ValidateFunction } from 'ajv';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The contract check every e2e response goes through (HttpClient calls `checkAgainstContract`):
 * the answer of a running app must be one its OpenAPI document lists — the status, the body's
 * schema with no undocumented field, and for an error the `code` listed under that status.
 * Answers that are not JSON API answers (pages, assets, redirects, upstream passthrough) are
 * matched by status and content type only.
 */
type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: Json }>; 'x-error-codes'?: string[] }>;
}
interface Route {
  template: string;
  pattern: RegExp;
  params: number;
  methods: Record<string, Operation>;
}

export class ApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly errorCodes: Set<string>;

  constructor(document: OpenAPIObject) {
    this.ajv.addSchema(closeObjects(structuredClone(document)) as Json, 'api');
    this.routes = Object.entries(document.paths).map(([template, item]) => ({
      template,
      // A trailing `{path}` is the forwarding routes' wildcard: it spans segments.
      pattern: new RegExp(`^${template.replace(/\{path\}$/, '(.+)').replace(/\{[^}]+\}/g, '([^/]+)')}$`),
      params: (template.match(/\{/g) ?? []).length,
      methods: item as unknown as Record<string, Operation>,
    }));
    this.routes.sort((a, b) => a.params - b.params);
    const errorSchema = document.components?.schemas?.Error as { properties: { code: { enum: string[] } } };
    this.errorCodes = new Set(errorSchema.properties.code.enum);
  }

  /** Problems with this answer; empty when it is one the document lists. */
  check(method: string, pathname: string, status: number, contentType: string, body: unknown, text: string): string[] {
    const what = `${method} ${pathname} → ${status}`;
    const json = /[/+]json\b/i.test(contentType);
    const routes = this.routes.filter((r) => r.pattern.test(pathname));
    const operation = routes.map((r) => ({ r, op: r.methods[method.toLowerCase()] })).find((x) => x.op);
    if (!operation) {
      // Not an operation: pages, assets, /api/docs, or an unknown route. A JSON error must still be a catalogued Error.
      if (json && status >= 400) return this.checkError(what, body, null);
      return [];
    }
    const { r, op } = operation;
    const response = op.responses[String(status)] ?? op.responses.default;
    if (!response)
      return [`${what}: status ${status} is not documented for ${method.toUpperCase()} ${r.template} (documented: ${Object.keys(op.responses).join(', ')})`];
    if (status >= 300 && status < 400) return [];
    const content = response.content ?? {};
    const types = Object.keys(content);
    if (types.length === 0) {
      return text.length === 0 || status === 304 ? [] : [`${what}: the document lists no body, the answer has ${contentType || 'one'}`];
    }
    if (types.includes('*/*')) return [];
    const type = types.find((t) => contentType.toLowerCase().startsWith(t.toLowerCase()));
    if (!type) return [`${what}: content type ${contentType || '(none)'} is not documented (documented: ${types.join(', ')})`];
    if (!json) return [];
    const problems = this.validate(`#/paths/${pointer(r.template)}/${method.toLowerCase()}/responses/${status}/content/${pointer(type)}/schema`, what, body);
    const codes = response['x-error-codes'];
    if (codes && typeof (body as Json)?.code === 'string' && !codes.includes((body as Json).code as string)) {
      problems.push(`${what}: error code ${(body as Json).code as string} is not listed for ${status} (listed: ${codes.join(', ')})`);
    }
    return problems;
  }

  private checkError(what: string, body: unknown, codes: string[] | null): string[] {
    const problems = this.validate('#/components/schemas/Error', what, body);
    const code = (body as Json)?.code;
    if (typeof code === 'string' && !this.errorCodes.has(code) && !codes) problems.push(`${what}: error code ${code} is in no catalogue`);
    return problems;
  }

  private validate(ref: string, what: string, body: unknown): string[] {
    let validate = this.validators.get(ref);
    if (!validate) this.validators.set(ref, (validate = this.ajv.compile({ $ref: `api${ref}` })));
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${what}: body${e.instancePath} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
    );
  }
}

function pointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Undocumented fields fail: every object schema that names its properties allows no others. */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) node.forEach(closeObjects);
  else if (node && typeof node === 'object') {
    const schema = node as Json;
    if (schema.properties && typeof schema.properties === 'object' && schema.additionalProperties === undefined && !schema.allOf)
      schema.additionalProperties = false;
    Object.values(schema).forEach(closeObjects);
  }
  return node;
}

/** Running apps by port, registered by the harness while they run. */
const contracts = new Map<string, ApiContract>();

export function registerContract(port: number, document: OpenAPIObject): () => void {
  const key = String(port);
  contracts.set(key, new ApiContract(document));
  return () => contracts.delete(key);
}

/** Throws when a loopback answer of a registered app is not one its document lists. */
export function checkAgainstContract(method: string, url: string, status: number, contentType: string, body: unknown, text: string): void {
  const { hostname, port, pathname } = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname) && !/^\d+\.\d+\.\d+\.\d+$/.test(hostname)) return;
  const contract = contracts.get(port);
  if (!contract) return;
  const problems = contract.check(method, pathname, status, contentType, body, text);
  if (problems.length)
    throw new Error(`API contract (docs/api.md): the answer is not the documented one\n  ${problems.join('\n  ')}\n  body: ${text.slice(0, 500)}`);
}
