import { z } from 'zod';
import { JOB_NAMES } from '../../ops/jobs.js';
import { intString } from '../shared.js';

export const jobsQuery = z
  .object({ job: z.enum(JOB_NAMES as [string, ...string[]], { message: `应为 ${JOB_NAMES.join(' / ')} 之一` }).optional(), limit: intString(200).optional() })
  .strict();
