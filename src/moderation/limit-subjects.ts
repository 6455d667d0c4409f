import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { LimitName } from './limits';

/**
 * Who a limited request is about, beyond its address: a key for a second counter of the same
 * limit (e.g. `user:<id>` or `temp:<hash>`), and the user to score and ban-check when the request
 * proved who it is.
 */
export interface LimitSubject {
  key: string;
  userId: string | null;
}

export type LimitSubjectResolver = (req: FastifyRequest) => Promise<LimitSubject | null>;

/**
 * The seam through which a module tells the rate-limit guard who a request of one of its limits
 * is about (the two-factor module reads its temporary token). The guard stays the one place that
 * counts, scores and checks bans; modules only name the subject.
 */
@Injectable()
export class LimitSubjects {
  private readonly resolvers = new Map<LimitName, LimitSubjectResolver>();
  private readonly resolved = new WeakMap<FastifyRequest, Promise<LimitSubject | null>>();

  register(name: LimitName, resolver: LimitSubjectResolver): void {
    this.resolvers.set(name, resolver);
  }

  /** Resolved once per request (the guard asks twice: to count and to check bans). */
  resolve(name: LimitName, req: FastifyRequest): Promise<LimitSubject | null> {
    const resolver = this.resolvers.get(name);
    if (!resolver) return Promise.resolve(null);
    let pending = this.resolved.get(req);
    if (!pending) {
      pending = resolver(req);
      this.resolved.set(req, pending);
    }
    return pending;
  }
}
