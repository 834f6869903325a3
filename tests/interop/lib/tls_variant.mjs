// Runs an interop suite over TLS. The stock clients take no `ca` option (the
// CometD Node adapter keeps its own https.Agent) and Node reads
// NODE_EXTRA_CA_CERTS only at start-up, so the test file runs twice: the
// parent makes a self-signed certificate (openssl) and re-runs the file in a
// child Node process that trusts it; the child runs the suite over
// https:// and wss://.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCertificate, runTrusting } from '../../functional/lib/tls.mjs';
import { interopSuite } from './suite.mjs';

const CERT_ENV = 'WORKBIND_TEST_TLS_CERT';
const KEY_ENV = 'WORKBIND_TEST_TLS_KEY';

export function tlsInteropSuite(name, ClientClass, transport, fileUrl) {
  const certificateFile = process.env[CERT_ENV];
  const privateKeyFile = process.env[KEY_ENV];
  if (certificateFile && privateKeyFile) {
    interopSuite(name, ClientClass, transport, { tls: { certificateFile, privateKeyFile } });
    return;
  }
  test(`${name}: the interop scenario over TLS, in a process trusting the test certificate`, { timeout: 240000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'workbind-interop-tls-'));
    try {
      const cert = makeCertificate(dir);
      const r = await runTrusting(fileURLToPath(fileUrl), cert.certificateFile, {
        [CERT_ENV]: cert.certificateFile,
        [KEY_ENV]: cert.privateKeyFile,
      });
      assert.equal(r.code, 0, r.output);
      // The child really ran the scenario.
      assert.match(r.output, /receives the server-published message/, r.output);
      assert.match(r.output, /ℹ fail 0/, r.output);
      console.log(r.output);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
