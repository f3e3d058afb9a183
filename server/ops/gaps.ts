import type { KnowledgeBase } from '../kb/index.js';
import type { SearchEngine } from '../search/engine.js';
import type { WorkingCalendar } from './calendar.js';
import type { AskRecord } from '../kb/asks.js';

/** 查遗补缺: questions the KB could not answer, clustered into gaps due 5 working days after the first ask. */
export class GapService {
  constructor(
    readonly kb: KnowledgeBase,
    readonly engine: SearchEngine,
    readonly calendar: WorkingCalendar,
  ) {}

  /** Feeds an ask into the gap queue: a no_answer ask, or an answered ask whose feedback was 未解决. */
  async recordAsk(_ask: AskRecord, _reason: 'no_answer' | 'unresolved'): Promise<void> {
    // filled in by the gap-queue work
  }

  /** Daily job: flags gaps due soon and overdue. */
  checkSla(_now: Date): Record<string, unknown> {
    return {};
  }

  /** Every few minutes: merges open gaps that ask the same thing. */
  async cluster(_now: Date): Promise<Record<string, unknown>> {
    return {};
  }
}
