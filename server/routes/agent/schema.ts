import { z } from 'zod';
import { entryFields } from '../../kb/validate.js';
import { STATUSES } from '../../kb/categories.js';

export const agentAnswerBody = z
  .object({
    question: entryFields.question,
    answer: entryFields.answer,
    askId: z.string({ message: '应为字符串' }).trim().min(1, '不能为空').max(100, '过长').optional(),
    department: entryFields.department,
    serviceItem: entryFields.serviceItem,
    category: entryFields.category.optional(),
  })
  .strict();

export const agentListQuery = z.object({ status: z.enum(STATUSES, { message: `应为 ${STATUSES.join(' / ')} 之一` }).optional() }).strict();
