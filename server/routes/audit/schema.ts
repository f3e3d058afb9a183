import { z } from 'zod';
import { intString } from '../shared.js';

export const auditQuery = z
  .object({
    actor: z.string().trim().min(1).max(100).optional(),
    limit: intString(1000).optional(),
    offset: intString(10_000_000).optional(),
  })
  .strict();
