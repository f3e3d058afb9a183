import type { KnowledgeBase } from '../kb/index.js';
import type { WorkingCalendar } from './calendar.js';

/** Policy Q&A must be published ≥ 1 working day before the policy takes effect; expired entries stop answering. */
export class PolicyWatch {
  constructor(
    readonly kb: KnowledgeBase,
    readonly calendar: WorkingCalendar,
  ) {}

  /** Daily job: documents at risk or late, and entries past their expiry date flagged for review. */
  run(_now: Date): Record<string, unknown> {
    return {};
  }
}
