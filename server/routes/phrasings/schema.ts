import { z } from 'zod';
import { PROPOSAL_STATES } from '../../ops/phrasings.js';

export const proposalListQuery = z
  .object({ state: z.enum(PROPOSAL_STATES, { message: `应为 ${PROPOSAL_STATES.join(' / ')} 之一` }).optional() })
  .strict();

export const acceptBody = z
  .object({ question: z.string({ message: '应为问法文字' }).trim().min(1, '问法不能为空').max(500, '不能超过 500 个字符').optional() })
  .strict();
