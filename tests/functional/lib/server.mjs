// Starts the real workbind binary on 127.0.0.1 with a free port and a
// temporary data folder, and stops it by its own pid.
//
// With `tls` ({certificateFile, privateKeyFile}) it serves HTTPS
// (server.tls.*; `url` is https://...); with `adminListen: true` it also
// opens server.adminListen on a free port (`adminUrl`).
//
// With WORKBIND_TEST_PG_DSN set (a key=value libpq string naming a test
// PostgreSQL server, as tests/pg/with_test_postgres.sh exports it), each data
// folder gets its own freshly created database on that server and the binary
// runs with storage.backend "postgres"; restarts keep the database.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = process.env.WORKBIND_BIN ?? new URL('../../../build/workbind', import.meta.url).pathname;
export const SOURCE_DIR = process.env.WORKBIND_SOURCE_DIR ?? new URL('../../..', import.meta.url).pathname;
export const DEMO_PROVISIONING = join(SOURCE_DIR, 'config/demo-provisioning.json');

// Settings used by default in tests: cheap password hashing so that starts
// are fast; everything else at its default.
const TEST_SETTINGS = { auth: { argon2: { memoryKiB: 1024, iterations: 1 } } };

const PG_DSN = process.env.WORKBIND_TEST_PG_DSN ?? '';
const PSQL = join(process.env.WORKBIND_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin', 'psql');
let pgDatabases = 0;

// Runs one SQL statement on the test server (its admin database, or
// `database`); returns psql's unaligned output, throws when it fails.
export function pgAdmin(sql, database) {
  const dsn = database ? `${PG_DSN} dbname=${database}` : PG_DSN;
  return execFileSync(PSQL, [dsn, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { stdio: ['ignore', 'pipe', 'pipe'] })
    .toString()
    .trim();
}

// The PostgreSQL database of a data folder: created on first use, its name
// kept in the folder so that a restart (or a second Server on the same
// folder) finds it again.
function pgDatabaseFor(dataDir) {
  const file = join(dataDir, 'pg-database');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const name = `wb_func_${process.pid}_${++pgDatabases}_${Date.now() % 100000}`;
  pgAdmin(`CREATE DATABASE ${name}`);
  writeFileSync(file, name);
  return name;
}

function merge(a, b) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b ?? {})) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? merge(a?.[k] ?? {}, v) : v;
  }
  return out;
}

export class Server {
  // `env`: variables added to the binary's environment; `args`: arguments
  // added after the usual ones; `tls`: {certificateFile, privateKeyFile};
  // `adminListen`: also listen for the operational routes.
  constructor({ settings = {}, provision = DEMO_PROVISIONING, dataDir, env = {}, args = [], tls, adminListen = false } = {}) {
    this.env = env;
    this.args = args;
    this.tls = tls;
    this.adminListen = adminListen;
    this.dataDir = dataDir ?? mkdtempSync(join(tmpdir(), 'workbind-test-'));
    this.ownsDataDir = !dataDir;
    this.settings = merge(TEST_SETTINGS, settings);
    this.provision = provision;
    this.host = '127.0.0.1';  // tests bind only to the loopback address
    this.port = 0;
    this.output = '';
    this.startTimeoutMs = 120000;
  }

  // Starts the binary; resolves when it listens. Rejects with the output
  // when it exits first, or when it has not listened within
  // `startTimeoutMs` (then it is killed): a hung start fails the test with
  // its output instead of holding it until the CTest time-out.
  async start() {
    const configPath = join(this.dataDir, 'settings.json');
    const settings = merge(this.settings, {});
    if (PG_DSN && !settings.storage?.backend) {
      this.pgDatabase = pgDatabaseFor(this.dataDir);
      settings.storage = merge(settings.storage ?? {}, {
        backend: 'postgres',
        postgres: { dsn: `${PG_DSN} dbname=${this.pgDatabase}` },
      });
    }
    if (this.port) settings.server = { ...(settings.server ?? {}), listen: `${this.host}:${this.port}` };
    else settings.server = { ...(settings.server ?? {}), listen: `${this.host}:0` };
    if (this.tls) settings.server.tls = { ...this.tls };
    if (this.adminListen) settings.server.adminListen = `${this.host}:0`;
    writeFileSync(configPath, JSON.stringify(settings));
    const args = ['--config', configPath, '--data-dir', join(this.dataDir, 'db')];
    if (this.provision) args.push('--provision', this.provision);
    args.push(...this.args);
    this.output = '';
    this.proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...this.env } });
    const proc = this.proc;
    this.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    let timer;
    await new Promise((resolve, reject) => {
      const onData = (chunk) => {
        this.output += chunk.toString();
        const m = this.output.match(/listening on \S+ \(port (\d+)\)/);
        if (m) {
          this.port = Number(m[1]);
          const admin = this.output.match(/admin listener on \S+ \(port (\d+)\)/);
          if (admin) this.adminPort = Number(admin[1]);
          resolve();
        }
        for (const w of this.outputWaiters ?? []) w();
      };
      proc.stdout.on('data', onData);
      proc.stderr.on('data', onData);
      this.exited.then(({ code }) => reject(new Error(`workbind exited with ${code}:\n${this.output}`)));
      timer = setTimeout(() => {
        reject(new Error(`workbind did not listen within ${this.startTimeoutMs} ms:\n${this.output}`));
        proc.kill('SIGKILL');
      }, this.startTimeoutMs);
    }).finally(() => clearTimeout(timer));
    this.url = `${this.tls ? 'https' : 'http'}://${this.host}:${this.port}`;
    if (this.adminPort) this.adminUrl = `http://${this.host}:${this.adminPort}`;
    // The binary really uses the database: it has migrated it.
    if (this.pgDatabase && pgAdmin('SELECT count(*) FROM workbind_schema', this.pgDatabase) === '0') {
      throw new Error(`workbind did not migrate PostgreSQL database ${this.pgDatabase}`);
    }
    return this;
  }

  // Resolves when the output (from now on, or already, after `from`
  // characters) matches `re`; rejects after `ms`.
  waitForOutput(re, { from = 0, ms = 10000 } = {}) {
    this.outputWaiters ??= new Set();
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = this.output.slice(from).match(re);
        if (!m) return;
        this.outputWaiters.delete(check);
        clearTimeout(timer);
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.outputWaiters.delete(check);
        reject(new Error(`no output matching ${re} within ${ms} ms:\n${this.output.slice(from)}`));
      }, ms);
      this.outputWaiters.add(check);
      check();
    });
  }

  // SIGTERM, then waits for the exit; returns {code, signal}.
  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return this.exited;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 15000);
    const r = await this.exited;
    clearTimeout(timer);
    return r;
  }

  async restart() {
    await this.stop();
    return this.start();
  }

  async cleanup() {
    await this.stop();
    if (this.ownsDataDir) {
      if (this.pgDatabase) pgAdmin(`DROP DATABASE IF EXISTS ${this.pgDatabase} WITH (FORCE)`);
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}

// Runs the binary with arguments (and `env` added to its environment) to
// completion; resolves {code, stdout, stderr}.
export function runBinary(args, { timeoutMs = 30000, env = {} } = {}) {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

export function readDemo() {
  return JSON.parse(readFileSync(DEMO_PROVISIONING, 'utf8'));
}
