import { z } from 'zod';
import type { Permission } from '../auth/tokens.js';
import { entryInputSchema, entryPatchSchema } from '../kb/validate.js';
import { answerRequest, feedbackRequest, handoffRequest, suggestQuery } from '../routes/answer/schema.js';
import { idParam, PROVENANCE_FIELDS } from '../routes/shared.js';
import { archiveBody, entryListQuery, exportQuery, reasonBody, rejectBody } from '../routes/entries/schema.js';
import { bulkArchiveBody, bulkFlagBody, bulkPublishBody } from '../routes/bulk/schema.js';
import { uploadQuery } from '../routes/documents/schema.js';
import { dismissBody, fillBody, gapListQuery } from '../routes/gaps/schema.js';
import { acceptBody, proposalListQuery } from '../routes/phrasings/schema.js';
import { entryIdParam, queueQuery, reviewBody, reviewsQuery } from '../routes/reviews/schema.js';
import { dictionaryBody, lexiconNameParam, synonymsBody, textBody } from '../routes/lexicon/schema.js';
import { hitTestRequest } from '../routes/admin-page/schema.js';
import { auditQuery } from '../routes/audit/schema.js';
import { jobsQuery } from '../routes/jobs/schema.js';
import { agentAnswerBody, agentListQuery } from '../routes/agent/schema.js';
import {
  answerExample, answerResponse, anyObject, categoriesResponse, handoffResponse, healthResponse, publicEntry, suggestResponse,
} from './responses.js';

/**
 * Every route the service serves, with its zod schemas: the one list the OpenAPI document (/api/v1/openapi.json)
 * and the API page (/admin/api) are built from. test/openapi.test.ts walks the express app and fails when a route is
 * missing here, listed here but not served, or guarded by another permission than the one written here.
 */

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteDoc {
  method: Method;
  /** Express path, e.g. /api/v1/admin/entries/:id */
  path: string;
  /** Resource group (a heading of the API page). */
  tag: Tag;
  summary: string;
  description?: string;
  /** Bearer token with this permission; 'token': any valid token; absent: public. */
  auth?: Permission | 'token';
  params?: z.ZodObject;
  query?: z.ZodType;
  /** JSON body, or 'file': the file's bytes (application/octet-stream, name in ?name= or X-File-Name). */
  body?: z.ZodType | 'file';
  /** Writes to an existing entry take its version in the body or If-Match. */
  ifMatch?: boolean;
  /** Success status, its description and body (a zod schema, or a media type for files and pages). */
  ok: { status: number; description: string; schema?: z.ZodType; media?: string };
  /** 4xx the route answers besides 401/403 (from auth) and 429 (rate limits). */
  errors?: number[];
  /** Shared per-client budget of the public API (KB_RATE_LIMIT). */
  limited?: boolean;
  example?: { request?: unknown; response?: unknown };
  /** What a field or parameter means, by name (the zod schemas carry the rules; people need the meaning too). */
  notes?: Record<string, string>;
}

/** The answer API's fields, for the portal teams that call it. */
const ANSWER_NOTES: Record<string, string> = {
  question: '市民的问题，1–500 个字符，须有可识别的文字（只有表情或符号的拒绝）',
  channel: '渠道：pc 电脑端、mobile 移动端网页、app 随申办、miniprogram 小程序、kiosk 自助终端、api 其他系统',
  audience: '对象偏好：enterprise 企业、individual 个人、all 不限（偏好，不是过滤）',
  region: '区域偏好，如 浦东新区',
  category: '只在这个栏目中查找（过滤）',
  level: '层级偏好：city 市级、district 区级',
  sessionId: '门户的会话编号（可选，脱敏后记录）',
  pick: '市民选中的建议（输入联想或猜你想问）的 unitId：直接以该条作答',
  fromAskId: '与 pick 一起：给出这条“猜你想问”的那次答复的 askId',
};

export const TAGS = {
  public: { name: '公共接口', description: '聊天组件和门户调用的接口：不需要令牌，按客户端限流（KB_RATE_LIMIT），其他源的门户须列入 KB_WIDGET_ORIGINS。' },
  entries: { name: '知识条目', description: '条目的列表、详情、新建、修改、发布、归档与历史；已发布条目的修改成为待审核的修改。' },
  documents: { name: '文件导入与导出', description: '上传政策文件或问答表：预览、导入、下载未导入的行；把条目导出为 XLSX/CSV。' },
  gaps: { name: '查遗补缺', description: '答不了的提问聚成缺口，5 个工作日内补上：写新条目、关联已有条目或注明原因驳回。' },
  phrasings: { name: '市民问法建议', description: '市民从“猜你想问”选中条目时所用的问法，编辑采纳后成为条目的相似问法。' },
  review: { name: '复核与政策时效', description: '半年复核队列与记录、政策时效监测。' },
  lexicon: { name: '同义词与词典', description: '双向同义词与领域分词词典（保存在知识库）。' },
  adminPage: { name: '管理页数据', description: '管理页用的当前用户、工作台数字、筛选项与命中测试。' },
  operations: { name: '审计与任务', description: '审计日志与定时任务记录（仅管理员）。' },
  agent: { name: '坐席回写', description: '线上人工帮办把有效答复回写为草稿，审核发布后补上缺口。' },
  service: { name: '运行状态与接口说明', description: '健康检查、Prometheus 指标、本接口文档。与公共接口共用限流额度。' },
  pages: { name: '页面', description: '浏览器页面与聊天组件脚本（不是 JSON 接口）。' },
} as const;
export type Tag = keyof typeof TAGS;

const A = '/api/v1/admin';
/** The body of an editor's write documents no provenance field: the routes refuse them (PROVENANCE_FIELDS, refuseProvenance). */
const provenanceFree = Object.fromEntries(PROVENANCE_FIELDS.map((f) => [f, true])) as { [F in (typeof PROVENANCE_FIELDS)[number]]: true };
const version = z.number().int().positive().optional().meta({ description: '修改所基于的条目版本（也可用 If-Match 请求头）' });
const reason = z.string().max(500).optional().meta({ description: '说明（写入历史）' });
const entryDoc = { status: 200, description: '条目（含待审核的修改 pendingRevision）', schema: anyObject };

export const ROUTES: RouteDoc[] = [
  // 公共接口
  {
    method: 'post', path: '/api/v1/answer', tag: 'public', limited: true, summary: '提问并取得答复',
    description: '市民的问题先做个人信息脱敏，再检索知识库和政策文件原文并判定：作答、猜你想问、暂无答案或不属于帮办范围。选中“猜你想问”时以 pick（及 fromAskId）再次提交。',
    body: answerRequest, ok: { status: 200, description: '答问结果', schema: answerResponse }, errors: [400, 413, 415], example: answerExample, notes: ANSWER_NOTES,
  },
  {
    method: 'post', path: '/api/v1/feedback', tag: 'public', limited: true, summary: '好差评',
    description: '以最后一次为准；“未解决”的提问连同原因（脱敏）进入查遗补缺。', body: feedbackRequest,
    notes: { askId: '答复里的 askId', resolved: 'true 已解决，false 未解决', reason: '未解决的原因（可选，最多 500 字）' },
    ok: { status: 204, description: '已记录' }, errors: [400, 404, 413, 415],
    example: { request: { askId: 'a1b2c3d4e5f6', resolved: false, reason: '没有说明需要哪些材料' } },
  },
  {
    method: 'post', path: '/api/v1/handoff', tag: 'public', limited: true, summary: '转人工',
    description: '工作日 9:00–17:00 转线上人工帮办，其余时间指引 12345。', body: handoffRequest, notes: { askId: '答复里的 askId' },
    ok: { status: 201, description: '转人工记录', schema: handoffResponse }, errors: [400, 404, 413, 415],
  },
  { method: 'get', path: '/api/v1/suggest', tag: 'public', limited: true, summary: '输入联想', query: suggestQuery, notes: { q: '已输入的文字（1–100 个字符）' }, ok: { status: 200, description: '最多 8 个问题', schema: suggestResponse }, errors: [400] },
  {
    method: 'get', path: '/api/v1/entries/:id', tag: 'public', limited: true, summary: '已发布条目的内容', params: idParam, notes: { id: '条目编号（答复里的 entryId）' },
    ok: { status: 200, description: '条目', schema: publicEntry }, errors: [400, 404, 410],
  },
  { method: 'get', path: '/api/v1/categories', tag: 'public', limited: true, summary: '七个栏目及已发布条目数', ok: { status: 200, description: '栏目', schema: categoriesResponse } },

  // 运行状态与接口说明
  { method: 'get', path: '/healthz', tag: 'service', limited: true, summary: '健康检查（数据库、索引是否追平、向量模型）', ok: { status: 200, description: '状态', schema: healthResponse }, errors: [503] },
  {
    method: 'get', path: '/metrics', tag: 'service', limited: true, summary: 'Prometheus 指标',
    description: '答问延迟直方图、各结果计数、缺口数与超期数（缓存 15 秒）、超出每日缺口上限的提问数、索引条目数、任务运行次数；多进程时汇总全部工作进程。',
    ok: { status: 200, description: 'Prometheus 文本格式', media: 'text/plain' },
    errors: [503],
  },
  { method: 'get', path: '/api/v1/openapi.json', tag: 'service', limited: true, summary: '本接口文档（OpenAPI 3.1）', ok: { status: 200, description: 'OpenAPI 文档', media: 'application/json' } },

  // 页面
  { method: 'get', path: '/', tag: 'pages', summary: '演示页（嵌入了聊天组件的门户页面）', ok: { status: 200, description: 'HTML', media: 'text/html' } },
  { method: 'get', path: '/admin', tag: 'pages', summary: '管理页', ok: { status: 200, description: 'HTML', media: 'text/html' } },
  { method: 'get', path: '/admin/api', tag: 'pages', summary: '接口说明页（本文档的可读版本）', ok: { status: 200, description: 'HTML', media: 'text/html' } },
  { method: 'get', path: '/widget.js', tag: 'pages', summary: '聊天组件脚本（门户页面用 <script src> 嵌入）', ok: { status: 200, description: 'JavaScript', media: 'text/javascript' } },

  // 知识条目
  { method: 'get', path: `${A}/entries`, tag: 'entries', auth: 'entries:read', summary: '条目列表与筛选', query: entryListQuery, ok: { status: 200, description: '{ total, items }', schema: anyObject }, errors: [400] },
  {
    method: 'post', path: `${A}/entries`, tag: 'entries', auth: 'entries:write', summary: '新建条目（草稿）',
    description: '来源字段（documentId、sourceSection、origin）只由系统在导入时设置，请求中出现即 400。',
    body: entryInputSchema.omit(provenanceFree).extend({ reason }), ok: { ...entryDoc, status: 201, description: '新建的草稿' }, errors: [400, 413, 415],
  },
  { method: 'get', path: `${A}/entries/:id`, tag: 'entries', auth: 'entries:read', summary: '条目详情（ETag 为版本号）', params: idParam, ok: entryDoc, errors: [400, 404] },
  {
    method: 'patch', path: `${A}/entries/:id`, tag: 'entries', auth: 'entries:write', summary: '修改条目',
    description: '草稿直接修改；已发布条目的修改成为待审核的修改，审核前仍按原内容作答。', params: idParam, ifMatch: true,
    body: entryPatchSchema.omit(provenanceFree).extend({ version, reason }), ok: { ...entryDoc, description: '修改后的条目（waitingForReview 表示等待审核）' },
    errors: [400, 404, 409, 413, 415, 428],
  },
  { method: 'get', path: `${A}/entries/:id/history`, tag: 'entries', auth: 'entries:read', summary: '条目的历史版本', params: idParam, ok: { status: 200, description: '{ versions }', schema: anyObject }, errors: [400, 404] },
  { method: 'post', path: `${A}/entries/:id/publish`, tag: 'entries', auth: 'entries:publish', summary: '发布草稿（补齐它回答的缺口）', params: idParam, ifMatch: true, body: reasonBody, ok: entryDoc, errors: [400, 404, 409, 428] },
  { method: 'post', path: `${A}/entries/:id/revision/approve`, tag: 'entries', auth: 'entries:publish', summary: '批准待审核的修改', params: idParam, ifMatch: true, body: reasonBody, ok: entryDoc, errors: [400, 404, 409, 428] },
  { method: 'post', path: `${A}/entries/:id/revision/reject`, tag: 'entries', auth: 'entries:publish', summary: '退回待审核的修改（须写原因）', params: idParam, ifMatch: true, body: rejectBody, ok: entryDoc, errors: [400, 404, 409, 428] },
  {
    method: 'post', path: `${A}/entries/publish-selected`, tag: 'entries', auth: 'entries:publish', summary: '批量发布与批准',
    description: '所选草稿发布、所选待审核修改批准，一个事务：任何一条不满足即全部不做。', body: bulkPublishBody,
    ok: { status: 200, description: '{ published, approved, message }', schema: anyObject }, errors: [400, 404, 409],
  },
  {
    method: 'post', path: `${A}/entries/archive-selected`, tag: 'entries', auth: 'entries:read', summary: '批量归档（须写原因）',
    description: '一个事务：任何一条版本不符或无权归档即全部不做。归档草稿需要“编写条目”权限，归档已发布条目需要“发布和批准条目”权限。', body: bulkArchiveBody,
    ok: { status: 200, description: '{ archived, message }', schema: anyObject }, errors: [400, 403, 404, 409],
  },
  {
    method: 'post', path: `${A}/entries/flag-selected`, tag: 'entries', auth: 'entries:flag', summary: '批量送复核（须写原因）',
    description: '所选已发布条目标为待复核，一个事务。', body: bulkFlagBody,
    ok: { status: 200, description: '{ flagged, alreadyDue, message }', schema: anyObject }, errors: [400, 404, 409],
  },
  {
    method: 'post', path: `${A}/entries/:id/archive`, tag: 'entries', auth: 'entries:read', summary: '归档条目（须写原因）',
    description: '归档草稿需要“编写条目”权限，归档已发布条目需要“发布和批准条目”权限（不满足时 403）。', params: idParam, ifMatch: true, body: archiveBody, ok: entryDoc,
    errors: [400, 404, 409, 428],
  },
  { method: 'get', path: `${A}/revisions`, tag: 'entries', auth: 'entries:read', summary: '待审核的修改', ok: { status: 200, description: '{ total, items: [{ revision, entry }] }', schema: anyObject } },

  // 文件导入与导出
  { method: 'get', path: `${A}/documents`, tag: 'documents', auth: 'entries:read', summary: '政策文件与政策时效状态', ok: { status: 200, description: '{ today, documents, watch }', schema: anyObject } },
  {
    method: 'post', path: `${A}/documents/preview`, tag: 'documents', auth: 'entries:write', summary: '预览导入（不写入）', query: uploadQuery, body: 'file',
    description: '请求体为文件（上限 20 MB）；计数覆盖整个文件，条目与问题行各返回一页（offset、problemOffset、limit）。',
    ok: { status: 200, description: '导入报告', schema: anyObject }, errors: [400, 413, 422],
  },
  {
    method: 'post', path: `${A}/documents/import`, tag: 'documents', auth: 'entries:write', summary: '导入文件',
    description: '默认导入为草稿；publish=true（导入者即批准者）需要发布权限。', query: uploadQuery, body: 'file',
    ok: { status: 201, description: '导入报告', schema: anyObject }, errors: [400, 413, 422],
  },
  {
    method: 'post', path: `${A}/documents/rejected`, tag: 'documents', auth: 'entries:write', summary: '下载问答表中未导入的行', query: uploadQuery, body: 'file',
    ok: { status: 200, description: 'XLSX 或 CSV 表格', media: 'application/octet-stream' }, errors: [400, 413, 422],
  },
  {
    method: 'get', path: `${A}/entries/export`, tag: 'documents', auth: 'entries:read', summary: '导出条目（XLSX/CSV，列与导入问答表相同）', query: exportQuery,
    ok: { status: 200, description: '表格文件', media: 'application/octet-stream' }, errors: [400],
  },

  // 查遗补缺
  { method: 'get', path: `${A}/gaps`, tag: 'gaps', auth: 'gaps:manage', summary: '缺口列表（按状态、即将到期、已超期）', query: gapListQuery, ok: { status: 200, description: '{ total, items }', schema: anyObject }, errors: [400] },
  { method: 'get', path: `${A}/gaps/:id`, tag: 'gaps', auth: 'gaps:manage', summary: '缺口详情与提问记录', params: idParam, ok: { status: 200, description: '缺口', schema: anyObject }, errors: [400, 404] },
  {
    method: 'post', path: `${A}/gaps/:id/fill`, tag: 'gaps', auth: 'gaps:manage', summary: '补缺：写新条目或关联已发布的条目',
    description: 'entry（新建条目，需要编写权限；publish=true 另需发布权限）与 entryId（关联已发布条目）二者选一。', params: idParam, body: fillBody,
    ok: { status: 200, description: '补缺结果', schema: anyObject }, errors: [400, 404, 409],
  },
  { method: 'post', path: `${A}/gaps/:id/dismiss`, tag: 'gaps', auth: 'gaps:manage', summary: '驳回缺口（注明原因）', params: idParam, body: dismissBody, ok: { status: 200, description: '缺口', schema: anyObject }, errors: [400, 404, 409] },
  { method: 'post', path: `${A}/gaps/:id/reopen`, tag: 'gaps', auth: 'gaps:manage', summary: '重新打开缺口', params: idParam, ok: { status: 200, description: '缺口', schema: anyObject }, errors: [400, 404, 409] },

  // 市民问法建议
  { method: 'get', path: `${A}/phrasings`, tag: 'phrasings', auth: 'gaps:manage', summary: '市民问法建议列表', query: proposalListQuery, ok: { status: 200, description: '建议', schema: anyObject }, errors: [400] },
  {
    method: 'post', path: `${A}/phrasings/:id/accept`, tag: 'phrasings', auth: 'gaps:manage', summary: '采纳问法（可先修改措辞）',
    description: '有发布权限的人采纳即生效；编辑采纳的成为条目的待审核修改，由审核人员批准。', params: idParam, body: acceptBody,
    ok: { status: 200, description: '结果', schema: anyObject }, errors: [400, 404, 409],
  },
  { method: 'post', path: `${A}/phrasings/:id/reject`, tag: 'phrasings', auth: 'gaps:manage', summary: '不采纳问法', params: idParam, ok: { status: 200, description: '结果', schema: anyObject }, errors: [400, 404, 409] },

  // 复核与政策时效
  { method: 'get', path: `${A}/reviews/queue`, tag: 'review', auth: 'entries:read', summary: '待复核条目', query: queueQuery, ok: { status: 200, description: '复核队列', schema: anyObject }, errors: [400] },
  { method: 'get', path: `${A}/reviews`, tag: 'review', auth: 'entries:read', summary: '复核记录（按半年）', query: reviewsQuery, ok: { status: 200, description: '复核记录', schema: anyObject }, errors: [400] },
  {
    method: 'post', path: `${A}/reviews/:entryId`, tag: 'review', auth: 'review', summary: '复核条目：确认、修改或归档',
    description: 'action: update（修改内容）另需编写权限。', params: entryIdParam, ifMatch: true, body: reviewBody,
    ok: { status: 201, description: '复核结果', schema: anyObject }, errors: [400, 404, 409, 428],
  },
  { method: 'get', path: `${A}/policy-watch`, tag: 'review', auth: 'entries:read', summary: '政策时效监测（有风险、迟发、待发布、按时）', ok: { status: 200, description: '监测结果', schema: anyObject } },

  // 同义词与词典
  { method: 'get', path: `${A}/synonyms`, tag: 'lexicon', auth: 'entries:read', summary: '同义词组', ok: { status: 200, description: '{ groups }', schema: anyObject } },
  {
    method: 'put', path: `${A}/synonyms`, tag: 'lexicon', auth: 'synonyms:write', summary: '保存同义词（整表替换）',
    description: '{text}：管理页里输入的文本，每行一组，出错时报行号；或 {groups}：词组列表，出错时报组号。',
    body: z.union([textBody, synonymsBody]), ok: { status: 200, description: '{ groups }', schema: anyObject }, errors: [400, 413],
  },
  { method: 'get', path: `${A}/dictionary`, tag: 'lexicon', auth: 'entries:read', summary: '领域词典', ok: { status: 200, description: '{ words }', schema: anyObject } },
  {
    method: 'put', path: `${A}/dictionary`, tag: 'lexicon', auth: 'synonyms:write', summary: '保存领域词典（整表替换）',
    description: '{text}：每行一个词，出错时报行号；或 {words}：词语列表。',
    body: z.union([textBody, dictionaryBody]), ok: { status: 200, description: '{ words }', schema: anyObject }, errors: [400, 413],
  },

  { method: 'get', path: `${A}/colloquial`, tag: 'lexicon', auth: 'entries:read', summary: '口语词典（口语词 => 官方词）', ok: { status: 200, description: '{ text, groups }', schema: anyObject } },
  {
    method: 'put', path: `${A}/colloquial`, tag: 'lexicon', auth: 'synonyms:write', summary: '保存口语词典（整表替换）',
    description: '{text}：每行“口语词 => 官方词”，有错的行全部列出（报行号），一行有错即不保存。', body: textBody,
    ok: { status: 200, description: '{ text, groups }', schema: anyObject }, errors: [400, 413],
  },
  { method: 'get', path: `${A}/lexicon/:name/history`, tag: 'lexicon', auth: 'entries:read', summary: '词表的保存历史', params: lexiconNameParam, ok: { status: 200, description: '{ name, label, saves }', schema: anyObject }, errors: [400] },
  { method: 'get', path: `${A}/lexicon/:name/export`, tag: 'lexicon', auth: 'entries:read', summary: '导出词表（文本文件，格式同 kb-data 中的文件）', params: lexiconNameParam, ok: { status: 200, description: '文本文件', schema: anyObject }, errors: [400] },
  {
    method: 'post', path: `${A}/lexicon/:name/import`, tag: 'lexicon', auth: 'synonyms:write', summary: '导入词表文件（整表替换）',
    description: '请求体为文本文件（≤ 2 MB）；有错的行全部列出，一行有错即不保存。', params: lexiconNameParam,
    ok: { status: 200, description: '保存结果', schema: anyObject }, errors: [400, 413],
  },

  // 管理页数据
  { method: 'get', path: `${A}/me`, tag: 'adminPage', auth: 'token', summary: '当前令牌的名称、角色与权限', ok: { status: 200, description: '{ name, role, roleLabel, permissions }', schema: anyObject } },
  { method: 'get', path: `${A}/stats`, tag: 'adminPage', auth: 'entries:read', summary: '工作台数字（本半年至今）', ok: { status: 200, description: '数字', schema: anyObject } },
  { method: 'get', path: `${A}/entry-facets`, tag: 'adminPage', auth: 'entries:read', summary: '条目筛选项（责任单位、区域）', ok: { status: 200, description: '{ departments, regions }', schema: anyObject } },
  {
    method: 'post', path: `${A}/hit-test`, tag: 'adminPage', auth: 'hit-test', summary: '命中测试：每个候选的得分与将作出的判定', body: hitTestRequest,
    ok: { status: 200, description: '候选与判定', schema: anyObject }, errors: [400, 413, 415],
  },

  // 审计与任务
  { method: 'get', path: `${A}/audit`, tag: 'operations', auth: 'audit:read', summary: '审计日志', query: auditQuery, ok: { status: 200, description: '审计记录', schema: anyObject }, errors: [400] },
  { method: 'get', path: `${A}/jobs`, tag: 'operations', auth: 'audit:read', summary: '定时任务与最近运行', query: jobsQuery, ok: { status: 200, description: '{ jobs, runs }', schema: anyObject }, errors: [400] },

  // 坐席回写
  {
    method: 'post', path: '/api/v1/agent/answers', tag: 'agent', auth: 'agent:answer', summary: '回写人工答复（生成草稿）',
    description: '问题和答复先脱敏；带 askId 时关联该提问及其缺口，发布后缺口即补上。', body: agentAnswerBody,
    ok: { status: 201, description: '新建的草稿条目', schema: anyObject }, errors: [400, 404, 413, 415],
    example: { request: { question: '营业执照遗失后还要登报吗？', answer: '不需要登报，在一网通办申请补领即可。', askId: 'a1b2c3d4e5f6', department: '市市场监管局' } },
  },
  { method: 'get', path: '/api/v1/agent/answers', tag: 'agent', auth: 'agent:answer', summary: '我回写的答复（管理员看到全部）', query: agentListQuery, ok: { status: 200, description: '{ total, items }', schema: anyObject }, errors: [400] },
];
