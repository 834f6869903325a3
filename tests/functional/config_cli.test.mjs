// Settings from WORKBIND_* environment variables and the `workbind config
// check` / `config show` subcommands (configuration.md), on the real binary:
// precedence (flags > environment > file > defaults), exit statuses and
// lines, masking of secrets, and that a check starts nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PROVISIONING, SOURCE_DIR, Server, runBinary } from './lib/server.mjs';
import { request } from './lib/client.mjs';

const dir = mkdtempSync(join(tmpdir(), 'workbind-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function settingsFile(settings, text) {
  const path = join(dir, `settings-${++files}.json`);
  writeFileSync(path, text ?? JSON.stringify(settings));
  return path;
}

// The address a started server reports it listens on.
function listenedAddress(server) {
  const m = server.output.match(/listening on (\S+):\d+ \(port (\d+)\)/);
  assert.ok(m, server.output);
  return { host: m[1], port: Number(m[2]) };
}

test('WORKBIND_SERVER_LISTEN over the file: the server listens there', async () => {
  // The test server's file says 127.0.0.1:0; the environment says 127.0.0.7.
  const server = new Server({ env: { WORKBIND_SERVER_LISTEN: '127.0.0.7:0' } });
  try {
    await server.start();
    const { host, port } = listenedAddress(server);
    assert.equal(host, '127.0.0.7');
    const r = await request(`http://127.0.0.7:${port}`, 'GET', '/healthz');
    assert.equal(r.status, 200);
  } finally {
    await server.cleanup();
  }
});

test('--listen over WORKBIND_SERVER_LISTEN', async () => {
  const server = new Server({
    env: { WORKBIND_SERVER_LISTEN: '127.0.0.8:0' },
    args: ['--listen', '127.0.0.9:0'],
  });
  try {
    await server.start();
    const { host, port } = listenedAddress(server);
    assert.equal(host, '127.0.0.9');
    const r = await request(`http://127.0.0.9:${port}`, 'GET', '/healthz');
    assert.equal(r.status, 200);
  } finally {
    await server.cleanup();
  }
});

test('an unknown WORKBIND_ variable stops the start with exit 2 and one line', async () => {
  const server = new Server({ env: { WORKBIND_HTTP_MAX_BODY_BYTE: '2048' } });
  try {
    await assert.rejects(server.start(), (e) => {
      assert.match(e.message, /^workbind exited with 2:/);
      assert.match(e.message, /^settings: WORKBIND_HTTP_MAX_BODY_BYTE: unknown setting$/m);
      return true;
    });
  } finally {
    await server.cleanup();
  }
});

test('config check: ok, without opening the database or binding the port', async () => {
  // A port held here: a start would fail to bind it.
  const holder = createServer();
  await new Promise((resolve) => holder.listen(0, '127.0.0.1', resolve));
  try {
    const port = holder.address().port;
    const dataDir = join(dir, 'never-created');
    const file = settingsFile({ http: { maxBodyBytes: 4096 } });
    const r = await runBinary(['config', 'check', '--config', file, '--listen', `127.0.0.1:${port}`,
      '--data-dir', dataDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `settings: ok (${file})\n`);
    assert.equal(r.stderr, '');
    assert.equal(existsSync(dataDir), false);
  } finally {
    holder.close();
  }
});

test('config check: every problem, one line each, exit 2', async () => {
  const file = settingsFile(null, '{"http": {"maxBodyBytes": "big"}, // a comment\n "nope": 1}');
  const r = await runBinary(['config', 'check', '--config', file, '--listen', 'nowhere'], {
    env: { WORKBIND_AUTH_CSRF: 'yes', WORKBIND_REPLAY_MAX_MESSAGES: '-5' },
  });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.deepEqual(r.stderr.trimEnd().split('\n'), [
    'settings: WORKBIND_AUTH_CSRF: must be true or false',
    'settings: --listen: must be host:port',
    'settings: /http/maxBodyBytes: must be an integer',
    'settings: WORKBIND_REPLAY_MAX_MESSAGES: must be 0-10000000',
    'settings: /nope: unknown key',
  ]);
  const missing = await runBinary(['config', 'check', '--config', join(dir, 'absent.json')]);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, `settings: cannot read ${join(dir, 'absent.json')}\n`);
});

test('config check: the provisioning file structure', async () => {
  const good = await runBinary(['config', 'check', '--provision', DEMO_PROVISIONING]);
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /^settings: ok \(no settings file\)\nprovisioning: ok \(/);
  const broken = join(dir, 'provisioning.json');
  writeFileSync(broken, JSON.stringify({ contactCenters: [{ name: 'cc', bogus: 1 }] }));
  const bad = await runBinary(['config', 'check'], { env: { WORKBIND_PROVISIONING_FILE: broken } });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^provisioning: \/contactCenters\/0\/bogus: unknown key$/m);
});

test('config show: effective values from file, environment and flags, the DSN password masked', async () => {
  const file = settingsFile({
    storage: { backend: 'postgres', postgres: { dsn: 'postgresql://wb:s3cret@db.example/wb?sslmode=require' } },
    http: { maxBodyBytes: 4096, maxHeaderBytes: 8192 },
  });
  const r = await runBinary(['config', 'show', '--config', file, '--data-dir', '/srv/wb'], {
    env: { WORKBIND_HTTP_MAX_BODY_BYTES: '2048', WORKBIND_HTTP_CORS_ALLOWED_ORIGINS: 'https://a.example,https://b.example' },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /s3cret/);
  const shown = JSON.parse(r.stdout);
  assert.equal(shown.storage.postgres.dsn, 'postgresql://wb:****@db.example/wb?sslmode=require');
  assert.equal(shown.http.maxBodyBytes, 2048);  // environment over file
  assert.equal(shown.http.maxHeaderBytes, 8192);  // file
  assert.deepEqual(shown.http.cors.allowedOrigins, ['https://a.example', 'https://b.example']);
  assert.equal(shown.storage.dataDir, '/srv/wb');  // flag
  assert.equal(shown.server.shutdownGraceSeconds, 10);  // default
  assert.equal(r.stderr, 'settings: 1 secret value is shown as "****"\n');

  // The key=value form, from the environment over the file.
  const kv = await runBinary(['config', 'show', '--config', file], {
    env: { WORKBIND_STORAGE_POSTGRES_DSN: "host=db.example user=wb password='s3 cret' dbname=wb" },
  });
  assert.equal(kv.code, 0, kv.stderr);
  assert.doesNotMatch(kv.stdout, /s3/);
  assert.equal(JSON.parse(kv.stdout).storage.postgres.dsn, 'host=db.example user=wb password=**** dbname=wb');
});

test('config show prints a settings file that config check accepts', async () => {
  const r = await runBinary(['config', 'show'], { env: { WORKBIND_NOTIFICATIONS_OPEN_CHANNELS: '["/chat/**"]' } });
  assert.equal(r.code, 0, r.stderr);
  const file = settingsFile(null, r.stdout);
  const check = await runBinary(['config', 'check', '--config', file]);
  assert.equal(check.code, 0, check.stderr);
  const again = await runBinary(['config', 'show', '--config', file]);
  assert.equal(again.stdout, r.stdout);
});

test('every key config show prints is documented in configuration.md, and no other', async () => {
  const r = await runBinary(['config', 'show']);
  assert.equal(r.code, 0, r.stderr);
  const shown = [];
  const walk = (o, at) => {
    for (const [k, v] of Object.entries(o)) {
      if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, `${at}${k}.`);
      else shown.push(`${at}${k}`);
    }
  };
  walk(JSON.parse(r.stdout), '');
  const doc = readFileSync(join(SOURCE_DIR, 'docs/configuration.md'), 'utf8');
  const documented = new Set([...doc.matchAll(/^\| `([A-Za-z0-9.]+)` \|/gm)].map((m) => m[1]));
  assert.deepEqual(shown.filter((k) => !documented.has(k)), []);
  assert.deepEqual([...documented].filter((k) => !shown.includes(k)), []);
});

test('--help: the subcommands, the precedence and the WORKBIND_ rule', async () => {
  const r = await runBinary(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /workbind config check/);
  assert.match(r.stdout, /workbind config show/);
  assert.match(r.stdout, /flags > environment > settings file \(--config\) > defaults/);
  assert.match(r.stdout, /WORKBIND_HTTP_MAX_BODY_BYTES/);
  const config = await runBinary(['config']);
  assert.equal(config.code, 2);
});
