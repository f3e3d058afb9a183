import { z } from 'zod';
import { CATEGORY_CODES } from '../kb/categories.js';
import type { Same } from '../../shared/domain.js';
import type { AnswerResponse, SuggestResponse } from '../../shared/answer.js';

/**
 * Response shapes for the API document. The public API's are written out in full (portal teams code against them;
 * test/openapi.test.ts parses real responses with them so they cannot drift); the admin API's are described in prose.
 */

const category = z.enum(CATEGORY_CODES).meta({ description: '栏目代码（guide 网上办事指引、faq 常见问题、glossary 政务百科词条、policy 政策文件、notice 通知公告、hotline 热线电话、department 部门信息）' });
const source = z
  .object({
    documentTitle: z.string().meta({ description: '政策文件标题' }),
    docNumber: z.string().nullable().meta({ description: '文号，如 沪府办〔2024〕12号' }),
    section: z.string().nullable().meta({ description: '章节路径，如 二、（一）5' }),
  })
  .nullable()
  .meta({ description: '出处：答案依据的政策文件；手写条目为 null' });

export const errorBody = z
  .object({
    error: z.string().meta({ description: '错误代码：invalid、invalid_json、unauthorized、forbidden、not_found、expired、conflict、version_conflict、too_large、unsupported、unprocessable、version_required、rate_limited 等' }),
    message: z.string().meta({ description: '给人看的中文说明' }),
    field: z.string().optional().meta({ description: '出错的字段（如 question、body、items.3.id）' }),
  })
  .meta({ description: '错误响应（4xx）' });

const answerBody = z.object({
  unitId: z.number().int().meta({ description: '作答单元：条目编号，或政策文件原文段落的编号' }),
  kind: z.enum(['entry', 'passage']).meta({ description: 'entry：知识条目；passage：政策文件原文段落' }),
  entryId: z.number().int().nullable().meta({ description: '条目编号；原文段落为 null' }),
  category,
  categoryLabel: z.string().meta({ description: '栏目中文名' }),
  question: z.string().meta({ description: '条目的标准问题' }),
  answer: z.string().meta({ description: '答复（Markdown）' }),
  html: z.string().meta({ description: '答复的安全 HTML（已净化，可直接显示）' }),
  source,
  effectiveFrom: z.string().optional().meta({ description: '政策尚未施行时：施行日期 YYYY-MM-DD' }),
  notice: z.string().optional().meta({ description: '政策尚未施行时的提示，如“本政策自2027年1月1日起施行。”' }),
  score: z.number().meta({ description: '检索得分' }),
});

const suggestion = z.object({
  unitId: z.number().int().meta({ description: '选中后作为 pick 提交' }),
  kind: z.enum(['entry', 'passage']),
  entryId: z.number().int().nullable(),
  category,
  question: z.string(),
  score: z.number(),
});

export const answerResponse = z
  .object({
    askId: z.string().meta({ description: '这次提问的编号：好差评、转人工和 fromAskId 用它' }),
    outcome: z.enum(['answered', 'suggest', 'no_answer', 'out_of_scope']).meta({
      description: 'answered 作答；suggest 不够自信，给出“猜你想问”；no_answer 暂无答案；out_of_scope 不属于帮办范围（投诉、涉法涉诉），见 route',
    }),
    answer: answerBody.nullable().meta({ description: '答案；outcome 不是 answered 时为 null' }),
    suggestions: z.array(suggestion).meta({ description: '猜你想问（最多 3 条）；out_of_scope 时是知识库里本身讲这件事的条目（如仲裁时效），可能为空' }),
    message: z.string().meta({ description: '给市民看的一句话' }),
    handoff: z
      .object({
        offered: z.boolean().meta({ description: '是否提供“转人工”按钮' }),
        channel: z.enum(['online_agent', '12345']).meta({ description: 'online_agent 线上人工帮办（工作时段）；12345 市民服务热线' }),
        hours: z.string().meta({ description: '人工服务时间' }),
      })
      .meta({ description: '转人工' }),
    route: z.object({ kind: z.string(), channel: z.string() }).optional().meta({ description: '不属于帮办范围时的去处（12345、法院、仲裁委、复议机关、12348 法律援助）' }),
  })
  .meta({ description: '答问结果' });
// the documented shape is the one the server sends and the chat widget reads (shared/answer.ts)
true satisfies Same<z.output<typeof answerResponse>, AnswerResponse>;

export const handoffResponse = z
  .object({
    id: z.number().int(),
    askId: z.string(),
    channel: z.enum(['online_agent', '12345']),
    createdAt: z.string().meta({ description: 'ISO 8601 时间' }),
    hours: z.string().meta({ description: '人工服务时间' }),
    message: z.string().meta({ description: '给市民看的一句话' }),
  })
  .meta({ description: '转人工记录' });

export const suggestResponse = z
  .object({ suggestions: z.array(z.object({ unitId: z.number().int(), entryId: z.number().int(), question: z.string() })).meta({ description: '输入联想，最多 8 条' }) })
  ;
true satisfies Same<z.output<typeof suggestResponse>, SuggestResponse>;

export const publicEntry = z
  .object({
    id: z.number().int(),
    category,
    categoryLabel: z.string(),
    question: z.string(),
    similarQuestions: z.array(z.string()),
    answer: z.string().meta({ description: 'Markdown' }),
    html: z.string().meta({ description: '安全 HTML' }),
    source,
    updatedAt: z.string(),
  })
  .meta({ description: '已发布的条目' });

export const categoriesResponse = z
  .object({ categories: z.array(z.object({ code: category, label: z.string(), count: z.number().int().meta({ description: '已发布条目数' }) })) })
  ;

export const healthResponse = z
  .object({
    status: z.literal('ok'),
    database: z.object({
      ok: z.boolean(),
      kind: z.enum(['sqlite', 'postgres']).meta({ description: '知识库所在数据库：sqlite（单机）或 postgres（多副本共享）' }),
      kbVersion: z.number().int(),
    }),
    replica: z
      .object({
        listening: z.boolean().meta({ description: '是否在接收知识库变更通知' }),
        behindVersions: z.number().int().meta({ description: '索引落后知识库的版本数' }),
        behindMs: z.number().int().meta({ description: '已落后多久（毫秒），追平时为 0' }),
        lastCatchUpMs: z.number().int().nullable().meta({ description: '上次从收到通知到追平用时（毫秒）' }),
        lastNotificationAt: z.string().nullable(),
      })
      .optional()
      .meta({ description: '仅 PostgreSQL：本副本跟随共享知识库的情况' }),
    index: z.object({ entries: z.number().int(), kbVersion: z.number().int(), upToDate: z.boolean().meta({ description: '索引是否已追平知识库' }) }).loose(),
    embedder: z.object({}).loose().meta({ description: '向量模型及说明' }),
  })
  ;

/** Named shapes: components of the document, $ref'd by the operations that return them. */
export const COMPONENTS: Record<string, z.ZodType> = {
  Error: errorBody, AnswerResponse: answerResponse, HandoffResponse: handoffResponse, SuggestResponse: suggestResponse,
  PublicEntry: publicEntry, Categories: categoriesResponse, Health: healthResponse,
};

/** A JSON object the admin page reads; its fields are documented in prose (README), not here. */
export const anyObject = z.object({}).loose();

/** An example a portal team can copy: POST /api/v1/answer and what it returns (shape checked by the tests). */
export const answerExample = {
  request: { question: '营业执照丢了怎么补办？', channel: 'pc', audience: 'enterprise' },
  response: {
    askId: 'a1b2c3d4e5f6',
    outcome: 'answered',
    answer: {
      unitId: 42,
      kind: 'entry',
      entryId: 42,
      category: 'guide',
      categoryLabel: '网上办事指引',
      question: '营业执照遗失如何补领？',
      answer: '登录“一网通办”，在“市场主体登记”中申请补领营业执照，无需登报声明作废。',
      html: '<p>登录“一网通办”，在“市场主体登记”中申请补领营业执照，无需登报声明作废。</p>',
      source: { documentTitle: '上海市市场主体登记办事指南', docNumber: null, section: '三、（二）' },
      score: 0.86,
    },
    suggestions: [],
    message: '为您找到以下答复：',
    handoff: { offered: false, channel: 'online_agent', hours: '工作日 9:00–17:00' },
  },
} as const;
