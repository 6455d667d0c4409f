import type { AgentConnectOpts } from 'agent-base';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Dispatcher } from 'undici';

/**
 * PROXY / NO_PROXY for every call to an identity or sign-in provider (docs/configuration.md#outbound-proxy-proxy-no_proxy).
 * One rule decides which calls bypass the proxy (`bypassesProxy`); two adapters apply it: an
 * undici dispatcher for `fetch` (the OpenID client) and a node http(s) agent for libraries on
 * `http.request` (the `oauth` library under the passport social strategies). Both tunnel with
 * CONNECT. There is no fallback: with the proxy down, calls fail.
 * The proxy client libraries (undici, https-proxy-agent, agent-base) are required only when PROXY
 * is set, so deployments without a proxy do not load them at boot.
 */
export class OutboundProxy {
  private dispatcher: Dispatcher | null = null;
  private agent: http.Agent | null = null;

  constructor(
    readonly proxy: string | null,
    readonly noProxy: readonly string[],
  ) {}

  /** For fetch's `dispatcher` option; undefined: connect directly. */
  dispatcherFor(url: string): Dispatcher | undefined {
    if (!this.proxy || bypassesProxy(url, this.noProxy)) return undefined;
    this.dispatcher ??= new (require('undici') as typeof import('undici')).ProxyAgent(this.proxy);
    return this.dispatcher;
  }

  /** For `http.request`'s `agent` option (decided per request, so NO_PROXY applies per host); undefined without PROXY. */
  nodeAgent(): http.Agent | undefined {
    if (!this.proxy) return undefined;
    if (!this.agent) {
      const { HttpsProxyAgent } = require('https-proxy-agent') as typeof import('https-proxy-agent');
      this.agent = noProxyAwareAgent(new HttpsProxyAgent(this.proxy), this.noProxy);
    }
    return this.agent;
  }
}

/** An agent that sends each request through `proxied` unless NO_PROXY names its host. */
function noProxyAwareAgent(proxied: http.Agent, noProxy: readonly string[]): http.Agent {
  const { Agent: AgentBase } = require('agent-base') as typeof import('agent-base');
  class NoProxyAwareAgent extends AgentBase {
    connect(_req: http.ClientRequest, opts: AgentConnectOpts): http.Agent {
      const scheme = opts.secureEndpoint ? 'https' : 'http';
      const direct = bypassesProxy(`${scheme}://${opts.host ?? 'localhost'}:${opts.port}`, noProxy);
      if (!direct) return proxied;
      return opts.secureEndpoint ? https.globalAgent : http.globalAgent;
    }
  }
  return new NoProxyAwareAgent();
}

/**
 * NO_PROXY entries: `*` (everything), `host` or `.host` (that host and its subdomains),
 * `*.host` (same), `host:port` (only that port). Case-insensitive; IPv6 brackets ignored.
 */
export function bypassesProxy(url: string, noProxy: readonly string[]): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return noProxy.some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\](?=:|$)/g, ''));
    if (!m) return false;
    const [, name, entryPort] = m;
    if (entryPort && entryPort !== port) return false;
    const domain = name.replace(/^\*?\./, '');
    return domain !== '' && (host === domain || host.endsWith(`.${domain}`));
  });
}

const shared = new Map<string, OutboundProxy>();

/** One instance per setting, so pooled connections to the proxy are shared by every caller. */
export function outboundProxy(proxy: string | null, noProxy: readonly string[]): OutboundProxy {
  const key = `${proxy ?? ''}\u0000${noProxy.join(',')}`;
  let value = shared.get(key);
  if (!value) shared.set(key, (value = new OutboundProxy(proxy, noProxy)));
  return value;
}
