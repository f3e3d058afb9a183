import { z } from 'zod';
import { LEXICON_LIMITS, LEXICON_NAMES } from '../../search/lexicon.js';

const L = LEXICON_LIMITS;

/** A list as the admin page's textarea holds it (errors name the line). */
export const textBody = z.object({ text: z.string() }).strict();

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

/** The list a /lexicon/:name/… route is about (the routes parse it with this, their message naming 词表). */
export const lexiconNameParam = z.object({ name: z.enum(LEXICON_NAMES) });
