// A TCP proxy on 127.0.0.1 in front of a server port, to cut a client off
// the network and let it back: block() closes every proxied connection and
// refuses new ones until unblock().
import net from 'node:net';

export class Proxy {
  constructor(targetPort) {
    this.targetPort = targetPort;
    this.blocked = false;
    this.sockets = new Set();
  }

  async start() {
    this.server = net.createServer((client) => {
      if (this.blocked) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = this.server.address().port;
    return this;
  }

  block() {
    this.blocked = true;
    for (const s of this.sockets) s.destroy();
  }

  unblock() {
    this.blocked = false;
  }

  async stop() {
    this.block();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
