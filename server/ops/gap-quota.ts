/** Default: new gaps one client may open per Shanghai day (KB_GAP_DAILY_LIMIT). */
export const DEFAULT_NEW_GAPS_PER_CLIENT_PER_DAY = 30;

/** Clients remembered per day; past this the day's counts start again (memory stays bounded under address churn). */
const MAX_CLIENTS = 100_000;

export function newGapsPerClientFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.KB_GAP_DAILY_LIMIT;
  if (raw === undefined || raw.trim() === '') return DEFAULT_NEW_GAPS_PER_CLIENT_PER_DAY;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`KB_GAP_DAILY_LIMIT=${raw} 无效：应为正整数（每个客户端每天最多新开的缺口数）`);
  return n;
}

/**
 * How many new gaps each client (address) may open per Shanghai day, so one client cannot flood the 查遗补缺 queue
 * (and the report's time-limit figures with it). Asks past the limit still get their reply and are in the ask log;
 * they join a gap that already asks the same thing, but open none: they are counted here instead (/metrics).
 * Counts live in memory per process: a restart starts the day again, and with KB_WORKERS=N a client may open up to
 * N × the limit. Addresses are kept only for the current day.
 */
export class NewGapQuota {
  private day = '';
  private opened = new Map<string, number>();
  /** Asks that would have opened a gap past their client's limit, since the process started. */
  overLimit = 0;

  constructor(readonly perClientPerDay: number = newGapsPerClientFromEnv()) {}

  /** Takes one new gap from the client's share for `day` (YYYY-MM-DD); false when it is used up (and counts it). */
  take(client: string | undefined, day: string): boolean {
    if (!client) return true;
    if (day !== this.day || this.opened.size >= MAX_CLIENTS) {
      this.day = day;
      this.opened.clear();
    }
    const n = this.opened.get(client) ?? 0;
    if (n >= this.perClientPerDay) {
      this.overLimit++;
      return false;
    }
    this.opened.set(client, n + 1);
    return true;
  }
}
