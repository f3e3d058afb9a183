import { z } from 'zod';
import { entryPatchSchema } from '../../kb/validate.js';
import { REVIEW_ACTIONS, isHalfYear } from '../../ops/review.js';
import { intString, positiveId } from '../shared.js';

export const entryIdParam = z.object({ entryId: positiveId });

export const reviewBody = z
  .object({
    action: z.enum(REVIEW_ACTIONS, { message: '应为 confirm（确认无误）/ update（修改）/ archive（归档）之一' }),
    note: z.string({ message: '复核需要填写说明' }).trim().min(1, '复核需要填写说明').max(1000, '不能超过 1000 个字符'),
    changes: entryPatchSchema.optional(),
    /** With confirm: approve the entry's pending revision first, in the same transaction (批准修改并确认). */
    approvePending: z.boolean({ message: '应为 true 或 false' }).optional(),
    version: z.number({ message: '应为条目的版本号（正整数）' }).int('应为正整数').positive('应为正整数').optional(),
  })
  .strict();

export const queueQuery = z
  .object({ department: z.string().trim().min(1, '不能为空').max(200, '不能超过 200 个字符').optional(), limit: intString(1000).optional(), offset: intString(10_000_000).optional() })
  .strict();

export const reviewsQuery = z
  .object({
    halfYear: z.string().refine(isHalfYear, '应为 年份+H1/H2，如 2026H2').optional(),
    entryId: positiveId.optional(),
    limit: intString(1000).optional(),
    offset: intString(10_000_000).optional(),
  })
  .strict();
