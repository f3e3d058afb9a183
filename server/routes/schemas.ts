import { z } from 'zod';
import { CATEGORY_CODES, LEVELS, AUDIENCES, STATUSES } from '../kb/categories.js';
import { CHANNELS } from '../kb/asks.js';
import { hasSearchableText } from '../search/normalize.js';
import { LEXICON_LIMITS } from '../search/lexicon.js';
import { ValidationError, VersionRequiredError } from '../kb/errors.js';

export const MAX_QUESTION_LENGTH = 500;

const question = z
  .string({ message: '应为字符串' })
  .refine((s) => s.trim().length > 0, '不能为空')
  .refine((s) => s.trim().length <= MAX_QUESTION_LENGTH, `不能超过 ${MAX_QUESTION_LENGTH} 个字符`)
  .refine((s) => hasSearchableText(s), '没有可识别的文字（只有表情、符号或控制字符）');

const filterFields = {
  audience: z.enum(AUDIENCES, { message: `应为 ${AUDIENCES.join(' / ')} 之一` }).optional(),
  region: z.string({ message: '应为字符串' }).trim().min(1, '不能为空').max(50, '不能超过 50 个字符').optional(),
  category: z.enum(CATEGORY_CODES, { message: `应为 ${CATEGORY_CODES.join(' / ')} 之一` }).optional(),
  level: z.enum(LEVELS, { message: '应为 city 或 district' }).optional(),
};

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

export const hitTestRequest = z.object({ question, ...filterFields }).strict();

const boolString = z.enum(['true', 'false', '1', '0'], { message: '应为 true 或 false' }).transform((v) => v === 'true' || v === '1');
/** A non-negative integer given as a query-string value. */
export const intString = (max: number) =>
  z
    .string({ message: '应为非负整数' })
    .regex(/^\d+$/, '应为非负整数')
    .transform(Number)
    .refine((n) => n <= max, `不能超过 ${max}`);

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

/** A positive integer id given as a path or query-string value. */
export const positiveId = z.string().regex(/^[1-9]\d{0,15}$/, '应为正整数').transform(Number);
export const idParam = z.object({ id: positiveId });

const versionField = z.number({ message: '应为条目的版本号（正整数）' }).int('应为正整数').positive('应为正整数').optional();
export const reasonBody = z.object({ reason: z.string({ message: '应为字符串' }).trim().max(500, '不能超过 500 个字符').optional(), version: versionField }).strict();
export const rejectBody = z
  .object({ reason: z.string({ message: '退回修改需要说明原因' }).trim().min(1, '退回修改需要说明原因').max(500, '不能超过 500 个字符'), version: versionField })
  .strict();
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
export const archiveBody = z
  .object({ reason: z.string({ message: '归档需要说明原因' }).trim().min(1, '归档需要说明原因').max(500, '不能超过 500 个字符'), version: versionField })
  .strict();

const L = LEXICON_LIMITS;
export const synonymsBody = z
  .object({
    groups: z
      .array(
        z
          .array(z.string().trim().min(1, '不能为空').max(L.member, `不能超过 ${L.member} 个字符`))
          .min(2, '每组至少两个词')
          .max(L.members, `每组最多 ${L.members} 个词`),
        { message: '应为词组数组，如 [["公司","企业"]]' },
      )
      .max(L.groups, `最多 ${L.groups} 组`),
  })
  .strict();

export const dictionaryBody = z
  .object({
    words: z
      .array(
        z
          .string()
          .trim()
          .min(1, '不能为空')
          .max(L.word, `不能超过 ${L.word} 个字符`)
          .refine((w) => !/\s/.test(w), '词中不能有空格'),
        { message: '应为词语数组' },
      )
      .max(L.words, `最多 ${L.words} 个词`),
  })
  .strict();

export const auditQuery = z
  .object({
    actor: z.string().trim().min(1).max(100).optional(),
    limit: intString(1000).optional(),
    offset: intString(10_000_000).optional(),
  })
  .strict();

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

/** A body with `version` (and `reason`) taken out: what remains are the fields to change. */
export function withoutControl(body: unknown): Record<string, unknown> {
  const { version: _v, reason: _r, ...rest } = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return rest;
}
