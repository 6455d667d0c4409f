import { Injectable } from '@nestjs/common';
import { AsyncLocalUnitOfWork } from '../unit-of-work.base';
import { SqliteDatabase } from './sqlite-database';

/**
 * One SQLite transaction per unit (RL-12). better-sqlite3 transactions are synchronous, while the
 * repositories are async, so the unit is opened with BEGIN IMMEDIATE and closed with COMMIT or
 * ROLLBACK by hand, and units run one at a time (there is one connection). Repository calls
 * resolve without real I/O waits, so a unit holds the write lock for microseconds; a
 * better-sqlite3 transaction function called meanwhile becomes a savepoint inside it.
 */
@Injectable()
export class SqliteUnitOfWork extends AsyncLocalUnitOfWork {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly sqlite: SqliteDatabase) {
    super();
  }

  protected transact<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.tail.then(() => this.once(work));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async once<T>(work: () => Promise<T>): Promise<T> {
    const { db } = this.sqlite;
    db.exec('BEGIN IMMEDIATE');
    let result: T;
    try {
      result = await work();
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
    try {
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
    return result;
  }
}
