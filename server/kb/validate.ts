import { z } from 'zod';
import { ValidationError } from './errors.js';
import { AUDIENCES, CATEGORY_CODES, LEVELS, ORIGINS } from './categories.js';
import type { Same } from '../../shared/domain.js';
import type { EntryPatch as SharedEntryPatch } from '../../shared/entries.js';

/** YYYY-MM-DD that is a real calendar date. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, '不是有效的日期');

const text = (max: number) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, '不能为空').max(max, `不能超过 ${max} 个字符`));

const optionalText = (max: number) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().max(max, `不能超过 ${max} 个字符`))
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional();

/** De-duplicated, trimmed, non-empty strings. */
const textList = (maxItems: number, maxLen: number) =>
  z
    .array(z.string().max(maxLen, `每项不能超过 ${maxLen} 个字符`))
    .max(maxItems, `最多 ${maxItems} 项`)
    .transform((xs) => [...new Set(xs.map((x) => x.trim()).filter(Boolean))]);

export const entryFields = {
  category: z.enum(CATEGORY_CODES, { message: `分类应为 ${CATEGORY_CODES.join(' / ')} 之一` }),
  question: text(500),
  // 2,000: a sheet question longer than what a citizen may type (500) is kept whole as a similar question
  similarQuestions: textList(30, 2_000),
  answer: text(20_000),
  keywords: textList(30, 50),
  serviceItem: optionalText(200),
  department: optionalText(200),
  level: z.enum(LEVELS, { message: '层级应为 city（市级）或 district（区级）' }),
  region: text(50),
  audience: z.enum(AUDIENCES, { message: '对象应为 enterprise / individual / all 之一' }),
  documentId: z.number().int().positive().nullable().optional(),
  sourceSection: optionalText(200),
  effectiveFrom: isoDate.nullable().optional(),
  expiresAt: isoDate.nullable().optional(),
  origin: z.enum(ORIGINS, { message: `来源应为 ${ORIGINS.join(' / ')} 之一` }),
};

export const entryInputSchema = z
  .object({
    ...entryFields,
    similarQuestions: entryFields.similarQuestions.default([]),
    keywords: entryFields.keywords.default([]),
    level: entryFields.level.default('city'),
    region: entryFields.region.default('上海市'),
    audience: entryFields.audience.default('all'),
    origin: entryFields.origin.default('manual'),
  })
  .strict();

export const entryPatchSchema = z.object(entryFields).partial().strict();

export type EntryInput = z.input<typeof entryInputSchema>;
export type EntryPatch = z.input<typeof entryPatchSchema>;
// the schema accepts exactly the fields the shared type (the admin page's) names
true satisfies Same<EntryPatch, SharedEntryPatch>;

/** Parses with a zod schema; the first problem becomes a ValidationError naming its field. */
export function parseOrThrow<S extends z.ZodTypeAny>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : issue.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys?.join(', ') ?? 'body' : 'body';
  const message = issue.code === 'unrecognized_keys' ? '不是可识别的字段' : issue.code === 'invalid_type' && issue.message.includes('received undefined') ? '必填' : issue.message;
  throw new ValidationError(field, message);
}
