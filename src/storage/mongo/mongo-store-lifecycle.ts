import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { StoreLifecycle } from '../ports';

/** Readiness must answer quickly even while the server is unreachable. */
export const PING_TIMEOUT_MS = 2000;

@Injectable()
export class MongoStoreLifecycle extends StoreLifecycle {
  readonly kind = 'mongo';
  private closing: Promise<void> | null = null;

  constructor(@InjectConnection() private readonly connection: Connection) {
    super();
  }

  async ping(): Promise<void> {
    const db = this.connection.db;
    if (!db || this.closing) throw new Error('MongoDB connection is not open');
    await withTimeout(db.admin().ping(), PING_TIMEOUT_MS, 'MongoDB ping timed out');
  }

  /** Idempotent: a second call waits for the first close instead of closing twice. */
  close(): Promise<void> {
    this.closing ??= this.connection.close();
    return this.closing;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
