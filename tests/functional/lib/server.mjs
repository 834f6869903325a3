// Starts the real workbind binary on 127.0.0.1 with a free port and a
// temporary data folder, and stops it by its own pid.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = process.env.WORKBIND_BIN ?? new URL('../../../build/workbind', import.meta.url).pathname;
export const SOURCE_DIR = process.env.WORKBIND_SOURCE_DIR ?? new URL('../../..', import.meta.url).pathname;
export const DEMO_PROVISIONING = join(SOURCE_DIR, 'config/demo-provisioning.json');

// Settings used by default in tests: cheap password hashing so that starts
// are fast; everything else at its default.
const TEST_SETTINGS = { auth: { argon2: { memoryKiB: 1024, iterations: 1 } } };

function merge(a, b) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b ?? {})) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? merge(a?.[k] ?? {}, v) : v;
  }
  return out;
}

export class Server {
  constructor({ settings = {}, provision = DEMO_PROVISIONING, dataDir } = {}) {
    this.dataDir = dataDir ?? mkdtempSync(join(tmpdir(), 'workbind-test-'));
    this.ownsDataDir = !dataDir;
    this.settings = merge(TEST_SETTINGS, settings);
    this.provision = provision;
    this.host = '127.0.0.1';  // tests bind only to the loopback address
    this.port = 0;
    this.output = '';
  }

  // Starts the binary; resolves when it listens. Rejects with the output
  // when it exits first.
  async start() {
    const configPath = join(this.dataDir, 'settings.json');
    const settings = merge(this.settings, {});
    if (this.port) settings.server = { ...(settings.server ?? {}), listen: `${this.host}:${this.port}` };
    else settings.server = { ...(settings.server ?? {}), listen: `${this.host}:0` };
    writeFileSync(configPath, JSON.stringify(settings));
    const args = ['--config', configPath, '--data-dir', join(this.dataDir, 'db')];
    if (this.provision) args.push('--provision', this.provision);
    this.output = '';
    this.proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = this.proc;
    this.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    await new Promise((resolve, reject) => {
      const onData = (chunk) => {
        this.output += chunk.toString();
        const m = this.output.match(/listening on \S+ \(port (\d+)\)/);
        if (m) {
          this.port = Number(m[1]);
          resolve();
        }
      };
      proc.stdout.on('data', onData);
      proc.stderr.on('data', onData);
      this.exited.then(({ code }) => reject(new Error(`workbind exited with ${code}:\n${this.output}`)));
    });
    this.url = `http://${this.host}:${this.port}`;
    return this;
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
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

// Runs the binary with arguments to completion; resolves {code, stdout, stderr}.
export function runBinary(args, { timeoutMs = 30000 } = {}) {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
