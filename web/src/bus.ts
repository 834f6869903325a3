// A small publish/subscribe hub between the one CometD connection and the
// views: each view listens for the messages it shows.
export type Listener = (channel: string, data: Record<string, unknown>) => void;

export class Bus {
  private readonly listeners = new Set<Listener>();

  listen(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(channel: string, data: Record<string, unknown>): void {
    for (const fn of [...this.listeners]) fn(channel, data);
  }
}
