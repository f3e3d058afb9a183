import fs from 'node:fs';
import path from 'node:path';
import { createServices, type Services } from '../../server/services.js';
import { KnowledgeBase } from '../../server/kb/index.js';
import type { EntryInput } from '../../server/kb/validate.js';
import type { RankingOptions } from '../../server/search/ranking.js';
import { tempDir } from './paths.js';

/**
 * Services over a fresh data directory holding only the given entries (published), on the builtin embedder.
 * `files` are written into the data directory first (its own synonyms.txt, colloquial.txt …); `ranking` changes
 * the ranking options (an ablation a test compares with).
 */
export async function smallKb(entries: EntryInput[], files: Record<string, string> = {}, ranking?: RankingOptions): Promise<Services & { ids: number[]; cleanup(): void }> {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const kb = KnowledgeBase.open(dir);
  const ids = entries.map((e) => kb.entries.publish(kb.entries.create(e, 'test').id, 'test').id);
  kb.close();
  const s = await createServices({ dataDir: dir, embedderMode: 'builtin', ranking });
  return Object.assign(s, {
    ids,
    cleanup() {
      s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** A few everyday entries in official wording, as a government KB writes them. */
export const OFFICIAL_ENTRIES: EntryInput[] = [
  { category: 'guide', question: '生育津贴如何申领？', answer: '用人单位或个人在“一网通办”提交生育津贴申领，审核后按月发放。' },
  { category: 'guide', question: '营业执照遗失如何补领？', answer: '登录“一网通办”提交营业执照补领申请，无需登报声明。' },
  { category: 'guide', question: '住房公积金如何提取？', answer: '职工购房、租赁住房或退休的，可在“随申办”申请提取住房公积金。' },
  { category: 'guide', question: '社保缴费记录怎么查询？', answer: '在“随申办”查询本人社保参保缴费记录，可打印参保证明。' },
  { category: 'faq', question: '居住证积分的申请条件是什么？', answer: '持有效居住证并在本市连续缴纳职工社会保险满6个月的，可申请居住证积分。' },
  { category: 'faq', question: '企业注销需要哪些材料？', answer: '企业注销登记申请书、清算报告和营业执照正副本。' },
];

/** The one entry of the HTTP tests' KB: what they ask is answered, and logged. */
export const HOTLINE_ENTRY: EntryInput = { category: 'hotline', question: '12345是什么热线？', answer: '12345 是市民服务热线。' };

/** Four published service entries on everyday subjects (居住证, 社保缴费记录, 企业开办, 12345) for gap and citizen-loop tests. */
export const SERVICE_ENTRIES: EntryInput[] = [
  { category: 'guide', question: '居住证怎么办理？', similarQuestions: ['怎么申请居住证'], answer: '在“随申办”提交居住登记后申领居住证。', audience: 'individual' },
  { category: 'guide', question: '社会保险缴费记录怎么查询？', similarQuestions: ['缴费记录在哪看'], answer: '在“随申办”搜索“社会保险缴费记录”即可查询。' },
  { category: 'guide', question: '企业开办需要哪些材料？', similarQuestions: ['开办企业要准备什么'], answer: '企业开办需要章程、股东身份证明等材料。', audience: 'enterprise' },
  { category: 'hotline', question: '12345是什么热线？', similarQuestions: ['市民热线电话是多少'], answer: '12345 是上海市民服务热线，24 小时受理咨询。' },
];
