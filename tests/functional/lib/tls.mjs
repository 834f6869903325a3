// TLS helpers for the tests: self-signed certificates made at test time with
// the openssl command, HTTPS requests that trust a given certificate
// explicitly (no global switch-off of verification), the certificate a
// server presents, and a way to run a test file in a child Node process that
// trusts a certificate (NODE_EXTRA_CA_CERTS, read by Node at start-up only),
// for clients that take no `ca` option.
import { execFileSync, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import tls from 'node:tls';

// Makes `<name>.pem` and `<name>-key.pem` in `dir`: a self-signed P-256
// certificate for 127.0.0.1. Returns {certificateFile, privateKeyFile, cert, key}.
export function makeCertificate(dir, name = 'server') {
  const certificateFile = join(dir, `${name}.pem`);
  const privateKeyFile = join(dir, `${name}-key.pem`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '2',
    '-keyout', privateKeyFile, '-out', certificateFile,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  return {
    certificateFile,
    privateKeyFile,
    cert: readFileSync(certificateFile, 'utf8'),
    key: readFileSync(privateKeyFile, 'utf8'),
  };
}

// The SHA-256 fingerprint of a PEM certificate, as Node's
// getPeerCertificate().fingerprint256 writes it.
export function fingerprintOf(pem) {
  return new X509Certificate(pem).fingerprint256;
}

// One HTTPS request. `agent` (an https.Agent) or `ca` decides what is
// trusted. Resolves {status, headers (lower-case names; set-cookie an
// array), text, json, fingerprint (of the certificate the connection got),
// reused (a kept-alive connection was used)}.
export function httpsRequest(url, { method = 'GET', headers = {}, body, ca, agent } = {}) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    let payload;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      h['Content-Type'] ??= 'application/json';
      h['Content-Length'] = Buffer.byteLength(payload);
    }
    const req = https.request(url, { method, headers: h, ca, agent }, (res) => {
      const fingerprint = res.socket.getPeerCertificate().fingerprint256;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, text, json, fingerprint, reused: req.reusedSocket });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

// Opens a TLS connection with `options` (host/port/ca/...); resolves
// {protocol, cipher, fingerprint} once the handshake is done, rejects with
// the handshake error.
export function tlsHandshake(options) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(options, () => {
      const out = {
        protocol: socket.getProtocol(),
        cipher: socket.getCipher().name,
        fingerprint: socket.getPeerCertificate().fingerprint256,
      };
      socket.end();
      resolve(out);
    });
    socket.on('error', reject);
  });
}

// Runs `file` with `node --test` in a child process that trusts `caFile`
// (and sees `env`); resolves {code, output}.
export function runTrusting(file, caFile, env = {}) {
  return new Promise((resolve) => {
    // Without the parent's NODE_TEST_CONTEXT: the child is a test run of
    // its own, not a subtest process of this one.
    const { NODE_TEST_CONTEXT, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', file], {
      env: { ...inherited, ...env, NODE_EXTRA_CA_CERTS: caFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
}
