import pg from 'pg';

/** How long to wait before connecting again after the listening connection dropped (doubling up to the maximum). */
const RECONNECT_MS = { first: 500, max: 10_000 };

/**
 * A replica's ear on the shared KB: LISTEN kb_changed on its own connection (the trigger on meta.kb_version sends the
 * schema's name; PostgreSQL delivers it once per committed transaction, see migrations.ts). Every notification for our schema calls
 * onChange; a dropped connection is re-opened with backoff, and onChange is called after reconnecting because
 * notifications sent meanwhile are lost — the KB version comparison (SearchEngine.sync) then catches up.
 */
export class KbChangeListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private delay = RECONNECT_MS.first;
  private timer: NodeJS.Timeout | null = null;
  /** When the last notification came. */
  lastNotificationAt: Date | null = null;

  constructor(
    private readonly url: string,
    private readonly schema: string,
    private readonly onChange: () => void,
    private readonly onError: (message: string) => void = () => {},
  ) {}

  /** True while notifications can arrive: a KB version read from memory is then at most as old as the last one. */
  listening(): boolean {
    return this.client !== null;
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'bangban-kb listener' });
    client.on('notification', (n) => {
      // `<schema>`; before migration 11, `<schema> <version>`
      const [schema] = (n.payload ?? '').split(' ');
      if (schema !== this.schema) return; // another KB in the same database
      this.lastNotificationAt = new Date();
      this.onChange();
    });
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      this.client = null;
      void client.end().catch(() => {});
      if (err) this.onError(`知识库变更通知连接中断：${err.message}，${this.delay / 1000} 秒后重连`);
      this.reconnectLater();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query('LISTEN kb_changed');
    } catch (err) {
      void client.end().catch(() => {});
      if (this.stopped) return;
      this.onError(`无法监听知识库变更通知：${(err as Error).message}，${this.delay / 1000} 秒后重试`);
      this.reconnectLater();
      return;
    }
    if (this.stopped) {
      await client.end();
      return;
    }
    this.client = client;
    this.delay = RECONNECT_MS.first;
    this.onChange(); // whatever happened while not listening
  }

  private reconnectLater(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.start();
    }, this.delay);
    this.timer.unref();
    this.delay = Math.min(this.delay * 2, RECONNECT_MS.max);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
