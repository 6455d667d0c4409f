import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import mongoose, { Connection } from 'mongoose';
import { AsyncLocalUnitOfWork } from '../unit-of-work.base';

// Operations of this connection's models started inside `connection.transaction()` pick up its
// session through AsyncLocalStorage, so the repositories need no session parameter.
mongoose.set('transactionAsyncLocalStorage', true);

/**
 * MongoDB (RL-12). On a replica set or sharded cluster a unit is a multi-document transaction
 * (`connection.transaction`, retried by the driver on transient errors). A standalone server has
 * no transactions: the unit then runs its writes one after another, in the order the caller
 * wrote them (the state change, then the outbox row), before the response, with no wait on
 * anything but the store in between; a crash in that gap is the one window left, and the
 * documentation tells operators to run a replica set (a single-node one is enough).
 */
@Injectable()
export class MongoUnitOfWork extends AsyncLocalUnitOfWork {
  private readonly log = new Logger('MongoUnitOfWork');
  private transactional: Promise<boolean> | null = null;

  constructor(@InjectConnection() private readonly connection: Connection) {
    super();
  }

  protected async transact<T>(work: () => Promise<T>): Promise<T> {
    if (!(await this.supportsTransactions())) return work();
    let result: T | undefined;
    await this.connection.transaction(async () => {
      result = await work();
    });
    return result as T;
  }

  /** Asked once per process; a failed probe is asked again next time. */
  private supportsTransactions(): Promise<boolean> {
    this.transactional ??= (async () => {
      const db = this.connection.db;
      if (!db) throw new Error('MongoDB connection is not open');
      const hello = (await db.admin().command({ hello: 1 })) as { setName?: string; msg?: string };
      const supported = typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
      if (!supported)
        this.log.warn('MongoDB is a standalone server: state changes and their mail are written in order, not in one transaction (docs/durability.md)');
      return supported;
    })().catch((error: unknown) => {
      this.transactional = null;
      throw error;
    });
    return this.transactional;
  }
}
