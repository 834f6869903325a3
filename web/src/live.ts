// Live notifications over CometD (the npm cometd client) on
// /api/v2/notifications. The browser's cookie authenticates the handshake.
// Follows workbind's replay extension (docs/api.md): the first handshake
// asks for {replay:{}}, every later one for {replay:{fromSeq: highest+1}},
// so notifications missed during a drop arrive after the re-handshake. After
// any re-handshake, or a connection that comes back, `onResync` runs so the
// views read their state again: no row stays stale.
import { CometD, type Message } from 'cometd';

export type LiveStatus = 'connecting' | 'online' | 'offline';

export interface LiveOptions {
  channels: string[];
  onMessage: (channel: string, data: Record<string, unknown>) => void;
  onStatus: (status: LiveStatus) => void;
  onResync: () => void;
}

export class Live {
  private readonly cometd = new CometD();
  private highestSeq = 0;
  private handshakes = 0;
  private wasOffline = false;
  private stopped = false;

  constructor(private readonly options: LiveOptions) {}

  start(): void {
    const url = new URL('/api/v2/notifications', window.location.href).toString();
    this.cometd.configure({ url, logLevel: 'warn', backoffIncrement: 500, maxBackoff: 5000 });
    const self = this;
    this.cometd.registerExtension('replay', {
      incoming(m: Message) {
        const seq = (m.ext as { seq?: unknown } | undefined)?.seq;
        if (typeof seq === 'number' && seq > self.highestSeq) self.highestSeq = seq;
        return m;
      },
      outgoing(m: Message) {
        if (m.channel === '/meta/handshake') {
          m.ext = { ...(m.ext ?? {}), replay: self.highestSeq > 0 ? { fromSeq: self.highestSeq + 1 } : {} };
        }
        return m;
      },
    });
    this.cometd.addListener('/meta/handshake', (reply: Message) => {
      if (!reply.successful) {
        this.setOffline();
        return;
      }
      this.handshakes += 1;
      // Every handshake starts a session without subscriptions.
      this.cometd.batch(() => {
        for (const c of this.options.channels) {
          this.cometd.subscribe(c, (m: Message) => this.options.onMessage(m.channel, (m.data ?? {}) as Record<string, unknown>));
        }
      });
      this.options.onStatus('online');
      if (this.handshakes > 1) this.options.onResync();
      this.wasOffline = false;
    });
    this.cometd.addListener('/meta/connect', (reply: Message) => {
      if (this.stopped || this.cometd.isDisconnected()) return;
      if (reply.successful) {
        if (this.wasOffline) {
          this.wasOffline = false;
          this.options.onStatus('online');
          this.options.onResync();
        }
      } else {
        this.setOffline();
      }
    });
    this.options.onStatus('connecting');
    this.cometd.handshake();
  }

  stop(): Promise<void> {
    this.stopped = true;
    return new Promise((resolve) => {
      if (this.cometd.isDisconnected()) return resolve();
      this.cometd.disconnect(() => resolve());
      setTimeout(resolve, 1000);
    });
  }

  private setOffline(): void {
    if (this.stopped) return;
    this.wasOffline = true;
    this.options.onStatus('offline');
  }
}
