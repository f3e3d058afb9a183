import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { KnowledgeBase } from '../server/kb/index.js';
import { ingestFile, ingestPaths, type FileResult } from '../ingest/pipeline.js';
import { SEEDS_DIR, seedFile, tempDir } from './helpers/paths.js';

const opts = { publish: true, actor: 'test' };
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

describe('ingesting the five seed documents', () => {
  let dir: string;
  let kb: KnowledgeBase;
  let results: FileResult[];

  beforeAll(async () => {
    dir = tempDir();
    kb = KnowledgeBase.open(dir);
    ({ results } = await ingestPaths(kb, [SEEDS_DIR], opts));
  });
  afterAll(() => {
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores all five documents with their 文号, 001 taking its number from the document citing it', () => {
    expect(results.map((r) => r.status)).toEqual(['new', 'new', 'new', 'new', 'new']);
    const byFile = Object.fromEntries(results.map((r) => [path.basename(r.file).slice(0, 3), r]));
    expect(byFile['000'].docNumber).toBe('普府办〔2021〕39号');
    expect(byFile['002'].docNumber).toBe('沪市监法规〔2022〕8号');
    expect(byFile['003'].docNumber).toBe('普府办〔2024〕10号');
    expect(byFile['004'].docNumber).toBe('沪府办发〔2022〕21号');
    const doc001 = kb.documents.get(byFile['001'].documentId!)!;
    expect(doc001).toMatchObject({ docNumber: '沪府办发〔2021〕26号', docNumberSource: 'cited' });
    expect(byFile['001'].docNumber).toBe('沪府办发〔2021〕26号');
    // 001's entries were refreshed with the cited 文号, but its policy did not change: nothing is due for review
    expect(kb.entries.list({ reviewDue: true }).total).toBe(0);
  });

  it('links the documents that cite 001 by title or 文号 (知识库“关联”)', () => {
    const id = (p: string) => results.find((r) => path.basename(r.file).startsWith(p))!.documentId!;
    const links = kb.documents.links(id('001')).filter((l) => l.toDocumentId === id('001'));
    expect(links.map((l) => l.fromDocumentId).sort()).toEqual([id('000'), id('002')].sort());
  });

  it('has one 政策文件 entry per document, naming its 文号', () => {
    const policy = kb.entries.list({ category: 'policy', status: 'published' }).items;
    expect(policy).toHaveLength(5);
    expect(policy.some((e) => e.answer.includes('沪府办发〔2021〕26号'))).toBe(true);
  });

  it('answers the KB rules the seeds set: 5 working days for unanswered questions, 1 working day before a policy', () => {
    const all = kb.entries.list({ status: 'published', limit: 1000 }).items;
    const text = (e: (typeof all)[number]) => norm(e.question + e.answer);
    expect(all.some((e) => text(e).includes('未能解答') && text(e).includes('5个工作日'))).toBe(true);
    expect(all.some((e) => text(e).includes('1个工作日') && text(e).includes('知识库'))).toBe(true);
    expect(all.some((e) => text(e).includes('每半年') && text(e).includes('知识库'))).toBe(true);
    expect(all.some((e) => text(e).includes('陶爱莲') && text(e).includes('食品经营许可'))).toBe(true);
    for (const e of all) {
      expect(e.similarQuestions.length).toBeGreaterThanOrEqual(2);
      expect(e.documentId).not.toBeNull();
    }
  });

  it('a second identical run changes nothing and reports every document unchanged', async () => {
    const version = kb.version();
    const again = await ingestPaths(kb, [SEEDS_DIR], opts);
    expect(again.results.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(again.results.every((r) => r.entries.created + r.entries.updated + r.entries.archived + r.entries.published === 0)).toBe(true);
    expect(kb.version()).toBe(version);
  });
});

describe('a changed source', () => {
  it('makes new versions of changed entries, archives entries no longer in it with the reason, flags them for review', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    const file = path.join(dir, 'policy.txt');
    const original = fs.readFileSync(seedFile('000'), 'utf8');
    fs.writeFileSync(file, original);
    const first = await ingestFile(kb, file, opts);
    expect(first.status).toBe('new');
    const before = kb.entries.ofDocument(first.documentId!);
    const target = before.find((e) => norm(e.answer).includes('5个工作日'))!;
    expect(target).toBeDefined();

    // the district shortens the deadline and drops the paragraph on 普陀政务直播间
    const changed = original.replace('未能解答的咨询在 5个', '未能解答的咨询在 3个').replace(/6\.优化在线办事指引[\s\S]*?各有关单位）/, '');
    expect(changed).not.toBe(original);
    fs.writeFileSync(file, changed);
    const second = await ingestFile(kb, file, opts);
    expect(second.status).toBe('changed');
    expect(second.entries.updated).toBeGreaterThan(0);
    expect(second.entries.archived).toBeGreaterThan(0);

    const updated = kb.entries.get(target.id)!;
    expect(norm(updated.answer)).toContain('3个工作日');
    expect(updated.version).toBeGreaterThan(target.version);
    expect(updated).toMatchObject({ status: 'published', reviewDue: true });
    expect(kb.entries.history(target.id).some((h) => h.action === 'update' && h.reason?.includes('已更新'))).toBe(true);

    const archived = kb.entries.ofDocument(first.documentId!).filter((e) => e.status === 'archived');
    expect(archived.some((e) => e.answer.includes('直播'))).toBe(true);
    for (const e of archived) expect(kb.entries.history(e.id).at(-1)!.reason).toContain('已不再包含');
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a changed policy file keeps the published answers until approved and flags only the entries it changed', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    const file = path.join(dir, 'policy.txt');
    const original = fs.readFileSync(seedFile('000'), 'utf8');
    fs.writeFileSync(file, original);
    const first = await ingestFile(kb, file, { publish: true, actor: 'test' });
    const target = kb.entries.ofDocument(first.documentId!).find((e) => norm(e.answer).includes('5个工作日'))!;

    fs.writeFileSync(file, original.replace('未能解答的咨询在 5个', '未能解答的咨询在 3个'));
    const second = await ingestFile(kb, file, { publish: false, actor: '张编辑' });
    expect(second.status).toBe('changed');
    expect(second.entries.revisions).toBeGreaterThan(0);
    const live = kb.entries.get(target.id)!;
    expect(norm(live.answer)).toContain('5个工作日'); // still served as published
    expect(norm(String(kb.revisions.pending(target.id)!.changes.answer))).toContain('3个工作日');
    const entries = kb.entries.ofDocument(first.documentId!).filter((e) => e.status === 'published');
    const flagged = entries.filter((e) => e.reviewDue).map((e) => e.id).sort();
    const pending = entries.filter((e) => kb.revisions.pending(e.id)).map((e) => e.id).sort();
    expect(flagged).toEqual(pending); // the review queue holds exactly the changed entries
    expect(flagged.length).toBeLessThan(entries.length / 2);
    expect(flagged).toContain(target.id);
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ingested entries are drafts unless --publish', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    const r = await ingestFile(kb, seedFile('001'), { publish: false, actor: 'test' });
    expect(r.status).toBe('new');
    const entries = kb.entries.ofDocument(r.documentId!);
    expect(entries.length).toBeGreaterThan(5);
    expect(entries.every((e) => e.status === 'draft')).toBe(true);
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('Q&A spreadsheets', () => {
  async function writeSheet(file: string, rows: string[][]): Promise<void> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('问答');
    ws.addRow(['问题', '答案', '相似问法', '分类', '责任单位', '层级', '区域', '对象']);
    for (const r of rows) ws.addRow(r);
    await wb.xlsx.writeFile(file);
  }

  it('imports rows as entries keyed by question; a re-import updates, keeps and archives accordingly', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    const file = path.join(dir, 'qa.xlsx');
    await writeSheet(file, [
      ['营业执照遗失怎么补办？', '登录“一网通办”申请补领。', '执照丢了怎么办|执照遗失补办', '网上办事指引', '区市场监管局', '区', '示例区', '企业'],
      ['12345是什么热线？', '12345 是市民服务热线。', '市民热线电话', '热线电话', '', '市', '上海市', '全部'],
    ]);
    const first = await ingestFile(kb, file, opts);
    expect(first).toMatchObject({ status: 'new', kind: 'qa_sheet', entries: { created: 2, published: 2 } });
    const licence = kb.entries.list({ text: '营业执照遗失' }).items[0];
    expect(licence).toMatchObject({ category: 'guide', level: 'district', region: '示例区', audience: 'enterprise', origin: 'import', department: '区市场监管局' });
    expect(licence.similarQuestions).toEqual(['执照丢了怎么办', '执照遗失补办']);

    await writeSheet(file, [
      ['营业执照遗失怎么补办？', '登录“一网通办”搜索“营业执照补领”在线申请。', '执照丢了怎么办|执照遗失补办', '网上办事指引', '区市场监管局', '区', '示例区', '企业'],
    ]);
    const second = await ingestFile(kb, file, opts);
    expect(second.entries).toMatchObject({ updated: 1, archived: 1, created: 0 });
    expect(kb.entries.get(licence.id)!.answer).toContain('营业执照补领');
    expect(kb.entries.list({ text: '12345' }).items[0].status).toBe('archived');
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an unchanged file is recognised by its hash before it is read: a limit it would now fail is not reached', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    const file = path.join(dir, 'qa.xlsx');
    await writeSheet(file, [['12345是什么热线？', '12345 是市民服务热线。', '', '热线电话', '', '市', '上海市', '全部']]);
    expect((await ingestFile(kb, file, opts)).status).toBe('new');
    // a limit no .xlsx passes: only reading the file could hit it
    const limits = { timeoutMs: 60_000, memoryMb: 1024, maxUnzippedBytes: 1, maxZipRatio: 100 };
    const again = await ingestFile(kb, file, { ...opts, limits });
    expect(again).toMatchObject({ status: 'unchanged', entries: { unchanged: 1, created: 0 } });
    await writeSheet(file, [['12345是什么热线？', '12345 是上海市民服务热线。', '', '热线电话', '', '市', '上海市', '全部']]);
    // a changed file is read, and refused by the limit
    expect(await ingestFile(kb, file, { ...opts, limits })).toMatchObject({ status: 'failed', error: expect.stringContaining('解压后内容过大') });
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports the good rows of a sheet and reports the bad one with row, column and reason', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    const file = path.join(dir, 'bad.xlsx');
    await writeSheet(file, [
      ['问一', '答一', '', '常见问题', '', '市', '上海市', '全部'],
      ['问二', '答二', '', '杂项', '', '市', '上海市', '全部'],
    ]);
    const r = await ingestFile(kb, file, opts);
    expect(r.status).toBe('new');
    expect(r.entries.created).toBe(1);
    expect(r.sheet).toMatchObject({ rows: 2, imported: 1, rejected: 1, byKind: { bad_value: 1 } });
    expect(r.sheet!.problems).toEqual([{ rowNumber: 3, column: '分类', kind: 'bad_value', outcome: 'rejected', message: expect.stringContaining('“杂项”不是栏目') }]);
    expect(kb.entries.list().items.map((e) => e.question)).toEqual(['问一']);
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('with --strict, or when no row is usable, a sheet imports nothing and names every problem row', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    const file = path.join(dir, 'bad.xlsx');
    await writeSheet(file, [
      ['问一', '答一', '', '常见问题', '', '市', '上海市', '全部'],
      ['问二', '答二', '', '杂项', '', '市', '上海市', '全部'],
      ['问三', '答三', '', '常见问题', '', '省', '上海市', '全部'],
    ]);
    const strict = await ingestFile(kb, file, { ...opts, strict: true });
    expect(strict.status).toBe('failed');
    expect(strict.error).toMatch(/bad\.xlsx.*--strict.*第 3 行“分类”.*第 4 行“层级”/);
    await writeSheet(file, [['问二', '答二', '', '杂项', '', '市', '上海市', '全部']]);
    const none = await ingestFile(kb, file, opts);
    expect(none.status).toBe('failed');
    expect(none.error).toMatch(/bad\.xlsx: 表格中没有可导入的行：第 2 行“分类”/);
    expect(kb.entries.list().total).toBe(0);
    expect(kb.documents.list()).toHaveLength(0);
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('bad input', () => {
  it('reports each bad file by name and still ingests the good ones, each file its own transaction', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    const inbox = path.join(dir, 'inbox');
    fs.mkdirSync(inbox);
    fs.writeFileSync(path.join(inbox, 'a-empty.txt'), '');
    fs.writeFileSync(path.join(inbox, 'b-garbage.txt'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    fs.writeFileSync(path.join(inbox, 'c-fake.pdf'), '这不是 PDF');
    fs.writeFileSync(path.join(inbox, 'd-noanswer.csv'), 'question,category\n怎么办理居住证,常见问题\n');
    const big = path.join(inbox, 'e-huge.txt');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 50 * 1024 * 1024);
    fs.copyFileSync(seedFile('001'), path.join(inbox, 'f-good.txt'));
    const named = path.join(dir, 'notes.exe');
    fs.writeFileSync(named, 'MZ');

    const { results } = await ingestPaths(kb, [inbox, named], opts);
    const byName = Object.fromEntries(results.map((r) => [path.basename(r.file), r]));
    expect(byName['a-empty.txt'].error).toMatch(/a-empty\.txt.*空/);
    expect(byName['b-garbage.txt'].error).toMatch(/b-garbage\.txt.*二进制/);
    expect(byName['c-fake.pdf'].error).toMatch(/c-fake\.pdf.*PDF/);
    expect(byName['d-noanswer.csv'].error).toMatch(/d-noanswer\.csv.*答案/);
    expect(byName['e-huge.txt'].error).toMatch(/e-huge\.txt.*过大/);
    expect(byName['notes.exe'].error).toMatch(/notes\.exe.*不支持/);
    expect(byName['f-good.txt'].status).toBe('new');
    expect(kb.documents.list().map((d) => d.fileName)).toEqual(['f-good.txt']);
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('odd but valid documents', () => {
  it('a title far longer than an entry question allows still ingests, its questions clipped', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    const file = path.join(dir, 'long.txt');
    const title = `示例区帮办服务${'及其补充说明'.repeat(80)}的实施方案`;
    fs.writeFileSync(file, `示例区行政服务中心文件\n\n示例办〔2026〕9号\n\n关于印发《${title}》的通知\n\n一、总体要求\n\n未能解答的咨询在5个工作日内补充至知识库。\n\n示例区行政服务中心\n\n2026年1月5日\n`);
    const r = await ingestFile(kb, file, opts);
    expect(r.status, r.error).toBe('new');
    const entries = kb.entries.ofDocument(r.documentId!);
    expect(entries.length).toBeGreaterThan(1);
    for (const e of entries) expect(e.question.length).toBeLessThanOrEqual(200);
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
