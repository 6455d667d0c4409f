import { Clock, SystemClock } from '../../common/clock';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';
import { migrate } from './migrator';

export const SQLITE_OPTIONS = Symbol('SQLITE_OPTIONS');

export interface SqliteOpenOptions {
  file: string;
  /** `full` (default): every commit reaches the disk before it is acknowledged (RL-17). */
  synchronous?: 'full' | 'normal';
  /** Files up to this size get `PRAGMA quick_check` at open (RL-16); 0 skips it. Default 1 GiB. */
  bootCheckMaxBytes?: number;
}

const CORRUPTION = /^SQLITE_(CORRUPT|NOTADB)/;
/** Enough to say what is wrong without reading a whole damaged file's worth of complaints. */
const QUICK_CHECK_MAX_ERRORS = 10;
const STATEMENT_METHODS = ['run', 'get', 'all', 'iterate'] as const;

/**
 * The one connection to the database file, shared by every SQLite repository. Every statement
 * goes through `fault()` on failure, which names the file in the message and remembers
 * corruption, so readiness turns 503 from the first malformed page any request touches (RL-16).
 */
@Injectable()
export class SqliteDatabase implements OnApplicationShutdown {
  readonly db: Database.Database;
  readonly file: string;
  private readonly logger = new Logger('SqliteDatabase');
  private closed = false;
  private damage: string | null = null;
  /** Set only with synchronous=FULL: the two statements `unsynced` switches the level with. */
  private readonly relaxSync: { normal: Database.Statement; full: Database.Statement } | null = null;

  constructor(
    @Inject(SQLITE_OPTIONS) options: SqliteOpenOptions,
    @Optional() private readonly clock: Clock = new SystemClock(),
  ) {
    this.file = options.file;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    this.db = this.guard(new Database(this.file));
    try {
      // WAL lets readers proceed during a write. FULL syncs the WAL at every commit; NORMAL only at
      // checkpoints, so an OS crash or power loss may drop the last acknowledged commits (RL-17).
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      if (options.synchronous !== 'normal')
        this.relaxSync = { normal: this.db.prepare('PRAGMA synchronous = NORMAL'), full: this.db.prepare('PRAGMA synchronous = FULL') };
      this.db.pragma('foreign_keys = ON');
      // Another process (CLI, second instance) may hold the write lock briefly.
      this.db.pragma('busy_timeout = 5000');
      this.checkIntegrity(options.bootCheckMaxBytes ?? 1024 * 1024 * 1024);
      if (!this.damage) migrate(this.db, MIGRATIONS, () => this.clock.now());
    } catch (err) {
      this.db.close();
      throw this.fault(err);
    }
  }

  /** Why the file cannot be trusted, or null while no corruption has been seen. */
  get corruption(): string | null {
    return this.damage;
  }

  /**
   * Bounded integrity check at open: skipped above the size limit (it reads every page), and it
   * stops after a few errors. A damaged file does not stop the boot: the process stays up with
   * readiness 503, so an operator can see why, instead of a restart loop.
   */
  private checkIntegrity(maxBytes: number): void {
    if (maxBytes <= 0) return;
    const size = fs.statSync(this.file).size;
    if (size > maxBytes) {
      this.logger.warn(`${this.file}: ${size} bytes, above SQLITE_BOOT_CHECK_MAX_MB; boot integrity check skipped`);
      return;
    }
    try {
      const rows = this.db.pragma(`quick_check(${QUICK_CHECK_MAX_ERRORS})`) as { quick_check: string }[];
      const problems = rows.map((r) => r.quick_check).filter((line) => line !== 'ok');
      if (problems.length) this.markCorrupt(problems.join('; '));
    } catch (error) {
      // quick_check itself may fail with SQLITE_CORRUPT/NOTADB: fault() records it.
      this.fault(error);
      if (!this.damage) throw error;
    }
  }

  /**
   * Runs a write whose transaction commits without waiting for its own fsync: for counters (rate
   * limits, the login slow-down), whose last few increments are harmless to lose on power loss
   * and which a login otherwise paid one fsync for. In WAL mode such a commit still reaches the
   * OS at once (a crash of the process loses nothing), and the next synced commit (the session or
   * audit row that follows a login attempt) writes the log up to and including it to the disk.
   * With SQLITE_SYNCHRONOUS=normal every commit is like this already.
   */
  unsynced<T>(write: () => T): T {
    const relax = this.relaxSync;
    if (!relax) return write();
    relax.normal.run();
    try {
      return write();
    } finally {
      relax.full.run();
    }
  }

  /** Wraps every statement this connection prepares so its failures pass through `fault()`. */
  private guard(db: Database.Database): Database.Database {
    const prepare = db.prepare.bind(db);
    const exec = db.exec.bind(db);
    const wrap = <F extends (...args: never[]) => unknown>(fn: F): F =>
      ((...args: Parameters<F>) => {
        try {
          return fn(...args);
        } catch (error) {
          throw this.fault(error);
        }
      }) as F;
    // better-sqlite3 passes extra internal arguments to prepare (pragma, transactions): keep them.
    db.prepare = ((...args: Parameters<typeof prepare>) => {
      const statement = (prepare as (...a: unknown[]) => unknown)(...args) as unknown as Record<
        (typeof STATEMENT_METHODS)[number],
        (...args: never[]) => unknown
      >;
      for (const method of STATEMENT_METHODS) statement[method] = wrap(statement[method].bind(statement));
      return statement;
    }) as typeof db.prepare;
    db.exec = wrap(exec) as typeof db.exec;
    return db;
  }

  /** Names the file in a driver error and remembers corruption. Returns the error to throw. */
  fault(error: unknown): unknown {
    if (typeof error !== 'object' || error === null) return error;
    const e = error as { code?: unknown; message?: unknown };
    const { code, message } = e;
    if (typeof code !== 'string' || !code.startsWith('SQLITE_') || typeof message !== 'string') return error;
    if (!message.includes(this.file)) e.message = `${message} (database file ${this.file})`;
    if (CORRUPTION.test(code)) this.markCorrupt(String(e.message));
    return error;
  }

  private markCorrupt(detail: string): void {
    if (this.damage) return;
    this.damage = detail;
    this.logger.fatal(
      `DATABASE CORRUPTION in ${this.file}: ${detail}. Readiness now answers 503. Stop the service, keep a copy of the file and restore from a backup; see docs/durability.md.`,
    );
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
