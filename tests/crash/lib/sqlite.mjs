// Reads a workbind SQLite database with the sqlite3 command-line shell, read
// only (safe beside a running server: WAL readers do not block it).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const SQLITE3 = process.env.WORKBIND_SQLITE3 ?? 'sqlite3';

// The database file of a test server's data folder (lib/server.mjs puts the
// binary's --data-dir at <dataDir>/db).
export function dbPath(dataDir) {
  return join(dataDir, 'db', 'workbind.db');
}

// Runs one query; returns the rows as objects.
export function query(file, sql, { readonly = true } = {}) {
  const args = readonly ? ['-readonly', '-json', file, sql] : ['-json', file, sql];
  const out = execFileSync(SQLITE3, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 }).toString().trim();
  return out ? JSON.parse(out) : [];
}

// Runs a script that changes the database (no server may be running).
export function exec(file, sql) {
  execFileSync(SQLITE3, [file], { input: sql, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function userVersion(file) {
  return query(file, 'PRAGMA user_version')[0].user_version;
}
