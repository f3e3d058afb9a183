import { z } from 'zod';

/** Rows of each list in one preview/import response (the counts always cover the whole file). */
export const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;
const pageNumber = (name: string) =>
  z.string().regex(/^\d{1,9}$/, { message: `${name} 应为非负整数` }).transform(Number);

export const uploadQuery = z
  .object({
    name: z.string({ message: '需要文件名（查询参数 name 或请求头 X-File-Name）' }).optional(),
    publish: z.enum(['true', 'false', '1', '0'], { message: '应为 true 或 false' }).transform((v) => v === 'true' || v === '1').optional(),
    /** The rejected-rows download only. */
    format: z.enum(['xlsx', 'csv'], { message: '应为 xlsx 或 csv' }).optional(),
    /** Preview/import report pages: entries from `offset`, problem rows from `problemOffset`, `limit` of each. */
    offset: pageNumber('offset').optional(),
    problemOffset: pageNumber('problemOffset').optional(),
    limit: pageNumber('limit').refine((n) => n >= 1 && n <= MAX_PAGE, { message: `应为 1 到 ${MAX_PAGE} 之间的整数` }).optional(),
  })
  .strict();
