import { z } from 'zod';

export const bulkPublishBody = z
  .object({
    items: z
      .array(z.object({ id: z.number({ message: '应为条目编号' }).int().positive(), version: z.number({ message: '应为条目的版本号' }).int().positive() }).strict(), {
        message: '应为所选条目的数组，如 [{"id": 3, "version": 2}]',
      })
      .min(1, '至少选择一个条目')
      .max(500, '一次最多 500 个条目'),
    reason: z.string({ message: '应为字符串' }).trim().max(500, '不能超过 500 个字符').optional(),
  })
  .strict();
const bulkItems = bulkPublishBody.shape.items;
export const bulkArchiveBody = z
  .object({ items: bulkItems, reason: z.string({ message: '归档需要说明原因' }).trim().min(1, '归档需要说明原因').max(500, '不能超过 500 个字符') })
  .strict();
export const bulkFlagBody = z
  .object({ items: bulkItems, reason: z.string({ message: '送复核需要说明原因' }).trim().min(1, '送复核需要说明原因').max(500, '不能超过 500 个字符') })
  .strict();
