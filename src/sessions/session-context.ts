import type { FastifyRequest } from 'fastify';
import { clientAddress } from '../common/client-ip';
import type { SessionContext } from './refresh-sessions.service';

/**
 * The plain facts a sign-in use case needs about the browser (user agent, client address by the
 * one address rule, provider), read from the request by the controller layer so the use cases
 * never see Express objects.
 */
/** A browser's context as the controller layer reads it: address key and provider always known. */
export type BrowserContext = SessionContext & { addressKey: string; provider: string };

export function sessionContextOf(req: FastifyRequest, provider = 'local'): BrowserContext {
  const agent = req.headers['user-agent'];
  const { ip, key } = clientAddress(req);
  return { userAgent: typeof agent === 'string' ? agent.slice(0, 512) : null, ip, addressKey: key, provider };
}
