import type Database from 'better-sqlite3';
import type { Db } from '../../server/kb/db.js';

/**
 * The test matrix: with KB_TEST_DATABASE_URL set (CI sets it; see .ci/run and README), every knowledge base a test
 * opens lives in its own PostgreSQL schema instead of a SQLite file; the suite is the same.
 */
export const ON_POSTGRES = Boolean(process.env.KB_TEST_DATABASE_URL);

/** The SQLite connection under a KB, for the tests of SQLite's own settings and files (skipped on PostgreSQL). */
export function sqliteOf(db: Db): Database.Database {
  if (db.dialect !== 'sqlite') throw new Error('not a SQLite knowledge base');
  return db as unknown as Database.Database;
}
