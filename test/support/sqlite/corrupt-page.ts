import * as fs from 'node:fs';
import Database from 'better-sqlite3';

/**
 * Overwrites one b-tree page of a real SQLite file: the root page of `table`, found through
 * sqlite_master.rootpage and the file's page_size. The file must be closed by everyone (the WAL is
 * checkpointed first so the page on disk is the current one). Returns the page number.
 */
export function corruptTableRootPage(file: string, table: string): number {
  const db = new Database(file);
  let page: number;
  let pageSize: number;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const row = db.prepare<[string], { rootpage: number }>("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
    if (!row) throw new Error(`no table ${table} in ${file}`);
    page = row.rootpage;
    pageSize = db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
  const fd = fs.openSync(file, 'r+');
  try {
    // Not random: a fixed pattern that is no valid page type, so every run fails the same way.
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
  } finally {
    fs.closeSync(fd);
  }
  return page;
}
