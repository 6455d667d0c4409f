import { Injectable } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { StoreCorruptError, StoreLifecycle } from '../ports';
import { SqliteDatabase } from './sqlite-database';

@Injectable()
export class SqliteStoreLifecycle extends StoreLifecycle {
  readonly kind = 'sqlite';

  private readonly probe: Database.Statement<[], unknown>;

  constructor(private readonly sqlite: SqliteDatabase) {
    super();
    this.probe = sqlite.db.prepare('SELECT 1');
  }

  /** Rejects once the connection is closed, which is what a readiness probe should report. */
  async ping(): Promise<void> {
    const damage = this.sqlite.corruption;
    if (damage) throw new StoreCorruptError(`database file ${this.sqlite.file} is corrupt: ${damage}`);
    this.probe.get();
  }

  async close(): Promise<void> {
    this.sqlite.close();
  }
}
