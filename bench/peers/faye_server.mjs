#!/usr/bin/env node
// A plain Faye 1.4 Bayeux server, the reference of the fan-out benchmark:
// Node's http server with faye.NodeAdapter mounted at /bayeux, bound to a
// loopback address. Prints "listening on HOST:PORT" once it listens, and
// stops on SIGTERM. Usage: node faye_server.mjs [HOST] [PORT]  (PORT 0:
// a free one)
import http from 'node:http';
import faye from 'faye';

const host = process.argv[2] ?? '127.0.0.1';
const port = Number(process.argv[3] ?? 0);
// timeout: seconds a connect is held (Faye's default 45 s; as workbind's
// 30 s here so that both hold connects alike).
const bayeux = new faye.NodeAdapter({ mount: '/bayeux', timeout: 30 });
const server = http.createServer();
bayeux.attach(server);
server.listen(port, host, () => {
  const a = server.address();
  console.log(`listening on ${a.address}:${a.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
