import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors';
import { TemplatesConfig } from '../config';
import type { UserRecord } from '../storage';
import { FederatedTokenHub, type FederatedTokens, type HttpExchange } from './federated-token.source';
import { BODY_FIELDS, FREE_TEXT_USER_FIELDS, isOpenIdUser, OPENID_FIELDS, USER_FIELDS } from './placeholders';
import { TemplatesErrors } from './templates.errors';

export interface TemplateContext {
  user: UserRecord | null;
  /** The request body, for `{{LIBRECHAT_BODY_*}}`. */
  body?: unknown;
  /** The request being served, when there is one (which login's IdP tokens to use). */
  http?: HttpExchange | null;
}

/** Everything one resolution needs, gathered once (the token lookup may refresh at the IdP). */
export interface TemplateBindings {
  user: UserRecord | null;
  tokens: FederatedTokens | null;
  body: Record<string, unknown> | null;
  /** `{{LIBRECHAT_GRAPH_ACCESS_TOKEN}}`, fetched only when a template uses it ('' when there is none). */
  graphToken?: string | null;
}

const GRAPH_PLACEHOLDER = '{{LIBRECHAT_GRAPH_ACCESS_TOKEN}}';

/**
 * `${VAR}` and the `{{LIBRECHAT_*}}` families in ONE pass over the template an administrator
 * wrote: each placeholder is replaced by its value and the output is never scanned again, so a
 * user named `{{LIBRECHAT_OPENID_TOKEN}}` or a body field `${JWT_SECRET}` stays literal text
 * (TR-07). Unknown placeholders stay literal; known ones that have no value become ''.
 */
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\{\{(LIBRECHAT_(USER|OPENID|BODY|GRAPH)_([A-Z0-9_]+))\}\}/g;

@Injectable()
export class TemplateResolver {
  constructor(
    private readonly config: TemplatesConfig,
    private readonly tokens: FederatedTokenHub,
  ) {}

  /** `graph`: the templates use `{{LIBRECHAT_GRAPH_ACCESS_TOKEN}}`, so an on-behalf-of token is fetched too. */
  async bind(context: TemplateContext, needs: { graph?: boolean } = {}): Promise<TemplateBindings> {
    const { user } = context;
    const openid = !!user && isOpenIdUser(user);
    const tokens = openid ? await this.tokens.forUser(user, context.http ?? null) : null;
    const graphToken = openid && needs.graph && tokens ? await this.tokens.graphAccessToken(user, context.http ?? null) : null;
    const body = context.body && typeof context.body === 'object' && !Array.isArray(context.body) ? (context.body as Record<string, unknown>) : null;
    return { user, tokens, body, graphToken };
  }

  resolveString(template: string, bindings: TemplateBindings, options: { header?: boolean } = {}): string {
    return template.replace(PLACEHOLDER, (whole, envName: string | undefined, _full: string, family: string, field: string) => {
      if (envName !== undefined) return this.config.env[envName] ?? whole;
      const value = this.lookup(family, field, bindings, options.header ?? false);
      return value === undefined ? whole : value;
    });
  }

  /** Resolves header values; a value that would carry CR/LF or non-Latin-1 text is refused (TR-08). */
  async resolveHeaders(headers: Record<string, string>, context: TemplateContext | TemplateBindings): Promise<Record<string, string>> {
    const bindings = 'tokens' in context ? context : await this.bind(context, { graph: usesGraph(headers) });
    const resolved: Record<string, string> = {};
    for (const [name, template] of Object.entries(headers)) {
      const value = this.resolveString(template, bindings, { header: true });
      if (/[\r\n]/.test(value) || value.includes('\0'))
        throw new DomainError(TemplatesErrors.TEMPLATE_VALUE_REJECTED, { message: `The value for header ${name} contains line breaks and was not sent.` });
      if (!isLatin1(value))
        throw new DomainError(TemplatesErrors.TEMPLATE_VALUE_REJECTED, { message: `The value for header ${name} is not valid header text and was not sent.` });
      resolved[name] = value;
    }
    return resolved;
  }

  /** Resolves every string inside a nested object or array (env maps, args, URLs). */
  async resolveObject<T>(value: T, context: TemplateContext | TemplateBindings): Promise<T> {
    const bindings = 'tokens' in context ? context : await this.bind(context, { graph: usesGraph(value) });
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.resolveString(v, bindings);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item)]));
      return v;
    };
    return walk(value) as T;
  }

  private lookup(family: string, field: string, b: TemplateBindings, header: boolean): string | undefined {
    switch (family) {
      case 'USER': {
        const read = USER_FIELDS[field];
        if (!read) return undefined;
        const text = b.user ? stringify(read(b.user)) : '';
        return header && FREE_TEXT_USER_FIELDS.has(field) && !isLatin1(text) ? `b64:${Buffer.from(text, 'utf8').toString('base64')}` : text;
      }
      case 'OPENID': {
        const read = OPENID_FIELDS[field];
        if (!read) return undefined;
        return b.tokens && b.user ? stringify(read(b.tokens, b.user)) : '';
      }
      case 'GRAPH':
        return field === 'ACCESS_TOKEN' ? (b.graphToken ?? '') : undefined;
      case 'BODY': {
        const key = BODY_FIELDS[field];
        if (!key) return undefined;
        return stringify(b.body?.[key]);
      }
      default:
        return undefined;
    }
  }
}

function usesGraph(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes(GRAPH_PLACEHOLDER);
}

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** What an HTTP header value may carry: code points up to U+00FF. */
function isLatin1(text: string): boolean {
  for (const char of text) if (char.codePointAt(0)! > 0xff) return false;
  return true;
}
