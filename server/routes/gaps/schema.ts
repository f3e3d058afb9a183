import { z } from 'zod';
import { entryInputSchema, entryFields } from '../../kb/validate.js';
import { GAP_STATES } from '../../ops/gaps.js';
import { intString } from '../shared.js';

export const gapListQuery = z
  .object({
    state: z.enum(GAP_STATES, { message: `应为 ${GAP_STATES.join(' / ')} 之一` }).optional(),
    due: z.enum(['soon', 'overdue'], { message: '应为 soon（1 个工作日内到期）或 overdue（已超期）' }).optional(),
    limit: intString(1000).optional(),
    offset: intString(10_000_000).optional(),
  })
  .strict();

/** The entry of a fill: the usual entry fields, question optional (the gap's), origin fixed to gap-fill. */
const fillEntry = entryInputSchema.omit({ origin: true }).extend({ question: entryFields.question.optional() });

export const fillBody = z
  .object({
    entry: fillEntry.optional(),
    entryId: z.number({ message: '应为条目编号（正整数）' }).int('应为正整数').positive('应为正整数').optional(),
    publish: z.boolean({ message: '应为 true 或 false' }).optional(),
  })
  .strict();

export const dismissBody = z
  .object({ reason: z.string({ message: '驳回需要说明原因' }).trim().min(1, '驳回需要说明原因').max(500, '不能超过 500 个字符') })
  .strict();
