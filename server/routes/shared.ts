import { z } from 'zod';
import { AUDIENCES, CATEGORY_CODES, LEVELS } from '../kb/categories.js';
import { ValidationError, VersionRequiredError } from '../kb/errors.js';
import type { Entry } from '../kb/index.js';
import { hasSearchableText } from '../search/normalize.js';
import type { Principal } from '../auth/tokens.js';
import { authorize } from '../auth/middleware.js';

/**
 * What more than one resource's routes use: the question and its filters, ids and paging in path and query strings,
 * provenance and version rules of entry writes. A schema only one resource uses lives in that resource's schema.ts.
 */

export const MAX_QUESTION_LENGTH = 500;

/** A citizen's (or a hit test's) question. */
export const question = z
  .string({ message: '应为字符串' })
  .refine((s) => s.trim().length > 0, '不能为空')
  .refine((s) => s.trim().length <= MAX_QUESTION_LENGTH, `不能超过 ${MAX_QUESTION_LENGTH} 个字符`)
  .refine((s) => hasSearchableText(s), '没有可识别的文字（只有表情、符号或控制字符）');

/** Audience, region, category and level: the answer API's preferences, the hit test's and the entry list's filters. */
export const filterFields = {
  audience: z.enum(AUDIENCES, { message: `应为 ${AUDIENCES.join(' / ')} 之一` }).optional(),
  region: z.string({ message: '应为字符串' }).trim().min(1, '不能为空').max(50, '不能超过 50 个字符').optional(),
  category: z.enum(CATEGORY_CODES, { message: `应为 ${CATEGORY_CODES.join(' / ')} 之一` }).optional(),
  level: z.enum(LEVELS, { message: '应为 city 或 district' }).optional(),
};

/** A non-negative integer given as a query-string value. */
export const intString = (max: number) =>
  z
    .string({ message: '应为非负整数' })
    .regex(/^\d+$/, '应为非负整数')
    .transform(Number)
    .refine((n) => n <= max, `不能超过 ${max}`);

/** A positive integer id given as a path or query-string value. */
export const positiveId = z.string().regex(/^[1-9]\d{0,15}$/, '应为正整数').transform(Number);
export const idParam = z.object({ id: positiveId });

/** Where an entry comes from: set by ingest and import only, never from an editor's request. */
export const PROVENANCE_FIELDS = ['documentId', 'sourceSection', 'origin'] as const;

/** 400 when a request tries to set a provenance field (so a hand-written answer cannot cite a real 文号). */
export function refuseProvenance(body: unknown, prefix = ''): void {
  if (!body || typeof body !== 'object') return;
  for (const f of PROVENANCE_FIELDS) {
    if (f in body) {
      throw new ValidationError(`${prefix}${f}`, '条目的来源（来源文件、章节、来源类型）只由系统在导入文件时设置，不能在编辑时指定');
    }
  }
}

/**
 * The entry version a write is based on: `version` in the body or the If-Match header ("3", W/"3" or 3).
 * Required on every write to an existing entry (optimistic concurrency).
 */
export function baseVersion(id: number, body: unknown, ifMatch: string | undefined): number {
  const fromBody = body && typeof body === 'object' ? (body as Record<string, unknown>).version : undefined;
  if (fromBody !== undefined) {
    if (typeof fromBody !== 'number' || !Number.isInteger(fromBody) || fromBody < 1) throw new ValidationError('version', '应为条目的版本号（正整数）');
    return fromBody;
  }
  if (ifMatch !== undefined) {
    const m = /^\s*(?:W\/)?"?(\d{1,12})"?\s*$/.exec(ifMatch);
    if (!m) throw new ValidationError('If-Match', '应为条目的版本号，如 "3"');
    return Number(m[1]);
  }
  throw new VersionRequiredError(id);
}

/** Archiving a published entry takes an answer away from citizens: a publishing decision; a draft is an editor's. */
export function mayArchive(principal: Principal, entry: Entry): void {
  if (entry.status === 'published') authorize(principal, 'entries:publish', `：条目 ${entry.id} 已发布，已发布条目的归档由审核人员决定`);
  else authorize(principal, 'entries:write');
}
