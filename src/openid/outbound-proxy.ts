import { EnvHttpProxyAgent, type Dispatcher } from 'undici';

/**
 * PROXY (and NO_PROXY) for every call to an identity provider, as LibreChat does: an undici
 * dispatcher handed to `fetch`. undici's EnvHttpProxyAgent is given the values from our config
 * (never process.env): it tunnels through the proxy with CONNECT and applies NO_PROXY's rules
 * (exact host, `.suffix`, `host:port`, `*`). The dispatcher is created once per process per
 * proxy setting and shared, so connections to the proxy are pooled.
 */
const dispatchers = new Map<string, Dispatcher>();

export function outboundDispatcher(proxy: string | null, noProxy: readonly string[]): Dispatcher | undefined {
  if (!proxy) return undefined;
  const key = `${proxy}\u0000${noProxy.join(',')}`;
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    dispatcher = new EnvHttpProxyAgent({ httpProxy: proxy, httpsProxy: proxy, noProxy: noProxy.join(',') });
    dispatchers.set(key, dispatcher);
  }
  return dispatcher;
}
