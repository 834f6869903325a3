// A raw WebSocket to /api/v2/notifications (the `ws` package the CometD
// Node adapter uses), for tests that look at the upgrade reply and at the
// frames and close of one socket rather than through a CometD client.
import { WebSocket } from 'ws';
import { withTimeout } from './cometd.mjs';

// Opens a WebSocket to the server on 127.0.0.1:`port` with the upgrade
// `headers`. Resolves {status, headers, body} of the reply when the upgrade
// is refused, or a RawWs when it is accepted.
export function openWs(port, headers = {}, { timeoutMs = 10000 } = {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v2/notifications`, { headers });
  const result = new Promise((resolve, reject) => {
    ws.once('open', () => resolve(new RawWs(ws)));
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
      res.on('error', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    ws.once('error', (e) => reject(e));
  });
  return withTimeout(result, timeoutMs, 'the WebSocket upgrade');
}

// An open socket: every Bayeux message received is kept in `messages`.
export class RawWs {
  constructor(ws) {
    this.ws = ws;
    this.messages = [];
    this.waiters = new Set();
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) =>
      resolve({ code, reason: reason.toString() })));
    ws.on('message', (data) => {
      for (const m of JSON.parse(data.toString())) this.messages.push(m);
      for (const w of [...this.waiters]) w();
    });
  }

  send(messages) { this.ws.send(JSON.stringify(messages)); }

  // Resolves with the first message (received so far or later) that
  // satisfies `pred`; rejects after `timeoutMs`.
  waitFor(pred, timeoutMs = 10000, what = 'a Bayeux message') {
    const found = new Promise((resolve) => {
      const check = () => {
        const m = this.messages.find(pred);
        if (m) {
          this.waiters.delete(check);
          resolve(m);
        }
      };
      this.waiters.add(check);
      check();
    });
    return withTimeout(found, timeoutMs, what);
  }

  // Handshakes and returns the reply.
  async handshake(id = 'h1') {
    this.send([{ id, channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['websocket'] }]);
    return this.waitFor((m) => m.id === id && m.channel === '/meta/handshake');
  }

  // The close of the socket ({code, reason}), bounded by `timeoutMs`.
  waitClosed(timeoutMs = 10000) { return withTimeout(this.closed, timeoutMs, 'the socket to close'); }

  close() { this.ws.terminate(); }
}
