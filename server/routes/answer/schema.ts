import { z } from 'zod';
import { AUDIENCES } from '../../kb/categories.js';
import { CHANNELS } from '../../kb/asks.js';
import { filterFields, question } from '../shared.js';

export const answerRequest = z
  .object({
    question,
    channel: z.enum(CHANNELS, { message: `应为 ${CHANNELS.join(' / ')} 之一` }).optional(),
    sessionId: z.string({ message: '应为字符串' }).max(100, '不能超过 100 个字符').optional(),
    /** The unit a chosen suggestion stood for: answer with exactly that one. */
    pick: z.number({ message: '应为所选建议的编号（正整数）' }).int('应为正整数').positive('应为正整数').optional(),
    /** With pick: the reply whose 猜你想问 the suggestion was chosen from. */
    fromAskId: z.string({ message: '应为字符串' }).min(1, '不能为空').max(100, '过长').optional(),
    /** The embedding portal's default (the widget's data-audience): a ranking preference only, not the asker's declaration. */
    portalAudience: z.enum(AUDIENCES, { message: `应为 ${AUDIENCES.join(' / ')} 之一` }).optional(),
    ...filterFields,
  })
  .strict();

export const feedbackRequest = z
  .object({
    askId: z.string({ message: '应为字符串' }).min(1, '不能为空').max(100, '过长'),
    resolved: z.boolean({ message: '应为 true（已解决）或 false（未解决）' }),
    reason: z.string({ message: '应为字符串' }).trim().max(500, '不能超过 500 个字符').optional(),
  })
  .strict();

export const handoffRequest = z.object({ askId: z.string({ message: '应为字符串' }).min(1, '不能为空').max(100, '过长') }).strict();

export const suggestQuery = z.object({
  q: z.string({ message: '需要查询参数 q' }).trim().min(1, '不能为空').max(100, '不能超过 100 个字符'),
});
