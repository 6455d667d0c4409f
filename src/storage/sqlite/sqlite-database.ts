import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';
import { migrate } from './migrator';

export const SQLITE_FILE = Symbol('SQLITE_FILE');

/** The one connection to the database file, shared by every SQLite repository. */
@Injectable()
export class SqliteDatabase implements OnApplicationShutdown {
  readonly db: Database.Database;
  private closed = false;

  constructor(@Inject(SQLITE_FILE) readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    try {
      // WAL lets readers proceed during a write; NORMAL is durable across app crashes under WAL
      // (only an OS crash can lose the last commits), at a fraction of FULL's fsync cost.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      // Another process (CLI, second instance) may hold the write lock briefly.
      this.db.pragma('busy_timeout = 5000');
      migrate(this.db, MIGRATIONS);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  /**
   * Idempotent: both the lifecycle port and Nest's shutdown hook call it. Closing on application
   * shutdown (the last hook) rather than module destroy leaves the store usable to other
   * modules' destroy and before-shutdown hooks, e.g. a mail worker finishing its batch.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  onApplicationShutdown(): void {
    this.close();
  }
}
