import { z } from 'zod';
import { STATUSES } from '../../kb/categories.js';
import { filterFields, intString } from '../shared.js';

const boolString = z.enum(['true', 'false', '1', '0'], { message: '应为 true 或 false' }).transform((v) => v === 'true' || v === '1');

export const entryListQuery = z
  .object({
    ...filterFields,
    status: z.enum(STATUSES, { message: `应为 ${STATUSES.join(' / ')} 之一` }).optional(),
    department: z.string().trim().max(200).optional(),
    reviewDue: boolString.optional(),
    q: z.string().trim().max(200, '不能超过 200 个字符').optional(),
    limit: intString(1000).optional(),
    offset: intString(10_000_000).optional(),
  })
  .strict();

/** The export: the list's filters, every matching entry, as XLSX or CSV. */
export const exportQuery = entryListQuery
  .omit({ limit: true, offset: true })
  .extend({ format: z.enum(['xlsx', 'csv'], { message: '应为 xlsx 或 csv' }).default('xlsx') });

const versionField = z.number({ message: '应为条目的版本号（正整数）' }).int('应为正整数').positive('应为正整数').optional();
export const reasonBody = z.object({ reason: z.string({ message: '应为字符串' }).trim().max(500, '不能超过 500 个字符').optional(), version: versionField }).strict();
export const rejectBody = z
  .object({ reason: z.string({ message: '退回修改需要说明原因' }).trim().min(1, '退回修改需要说明原因').max(500, '不能超过 500 个字符'), version: versionField })
  .strict();
export const archiveBody = z
  .object({ reason: z.string({ message: '归档需要说明原因' }).trim().min(1, '归档需要说明原因').max(500, '不能超过 500 个字符'), version: versionField })
  .strict();
