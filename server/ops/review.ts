import type { KnowledgeBase } from '../kb/index.js';
import type { WorkingCalendar } from './calendar.js';

/** Half-yearly review (每半年): which published entries are due, and the reviewer's confirm / update / archive. */
export class ReviewService {
  constructor(
    readonly kb: KnowledgeBase,
    readonly calendar: WorkingCalendar,
  ) {}

  /** Daily job: flags entries not reviewed in the current half-year or whose source expired, was replaced or changed. */
  flagDue(_now: Date): Record<string, unknown> {
    return {};
  }
}
