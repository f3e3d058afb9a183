import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import ExcelJS from 'exceljs';
import { createApp } from '../../app.js';
import { fixedClock } from '../../kb/clock.js';
import { SHEET_COLUMNS } from '../entries/export.js';
import { servicesFor } from '../../../test/helpers/services.js';
import { SAMPLE_DOCS_DIR, SEEDS_DIR } from '../../../test/helpers/paths.js';

// A Wednesday, 10:00 in Shanghai.
const NOW = '2026-08-26T02:00:00Z';

const POLICY = [
  '示例区行政服务中心', '', '示例服〔2026〕3号', '', '示例区企业年报帮办服务规定', '',
  '为做好企业年度报告帮办服务，现规定如下。', '', '一、办理时限', '', '企业年报帮办申请，区行政服务中心应当在3个工作日内办结。', '',
  '二、服务渠道', '', '企业可以通过“一网通办”网站或者“随申办”APP申请年报帮办服务，也可以到区行政服务中心窗口申请。', '',
  '三、施行日期', '', '本规定自2026年8月28日起施行。',
].join('\n');

type Row = Partial<Record<(typeof SHEET_COLUMNS)[number], string>>;

async function xlsx(rows: Row[], columns: readonly string[] = SHEET_COLUMNS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问答');
  ws.addRow([...columns]);
  for (const r of rows) ws.addRow(columns.map((c) => r[c as keyof Row] ?? ''));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Cell texts of the first sheet, header included. */
async function readXlsx(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(buf).buffer);
  const out: string[][] = [];
  wb.worksheets[0].eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => (cells[col - 1] = cell.text));
    out.push(Array.from({ length: SHEET_COLUMNS.length }, (_, i) => cells[i] ?? ''));
  });
  return out;
}

/** supertest: the response body as bytes. */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

const LICENCE: Row = {
  问题: '营业执照遗失了怎么补办？', 答案: '登录“一网通办”，搜索“营业执照补领”，在线提交申请。\n审核通过后可领取新执照。', 相似问法: '执照丢了怎么补|营业执照丢失补领',
  分类: '网上办事指引', 事项: '营业执照补领', 责任单位: '区市场监管局', 层级: '区', 区域: '示例区', 对象: '企业', 关键词: '营业执照|补领', 生效日期: '2026-01-01',
};
const HOTLINE: Row = { 问题: '12345是什么热线？', 答案: '12345 是上海市民服务热线，24 小时受理咨询。', 分类: '热线电话' };

describe('documents: upload → preview → import, export', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let editor: string;
  let reviewer: string;

  beforeEach(async () => {
    s = await servicesFor([], { clock: fixedClock(NOW) });
    app = createApp(s);
    admin = s.tokens.create('管理员', 'admin', 'test').token;
    editor = s.tokens.create('张编辑', 'editor', 'test').token;
    reviewer = s.tokens.create('王审核', 'reviewer', 'test').token;
  });
  afterEach(() => s.cleanup());

  const send = (kind: 'preview' | 'import', token: string, name: string, body: Buffer, extra = '') =>
    request(app)
      .post(`/api/v1/admin/documents/${kind}?name=${encodeURIComponent(name)}${extra}`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/octet-stream')
      .send(body);
  const exportAs = (format: string, token = editor, extra = '') =>
    request(app)
      .get(`/api/v1/admin/entries/export?format=${format}${extra}`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse(binary);

  it('previews a Q&A sheet without writing anything, then imports exactly what it previewed', async () => {
    const sheet = await xlsx([LICENCE, HOTLINE]);
    const version = s.kb.version();
    const preview = await send('preview', editor, '问答.xlsx', sheet).expect(200);
    expect(preview.body).toMatchObject({ file: '问答.xlsx', status: 'new', kind: 'qa_sheet', counts: { create: 2, update: 0, unchanged: 0, archive: 0 } });
    expect(preview.body.entries.map((e: { question: string; entryId: null }) => [e.question, e.entryId])).toEqual([
      ['营业执照遗失了怎么补办？', null],
      ['12345是什么热线？', null],
    ]);
    expect(s.kb.version()).toBe(version);
    expect(s.kb.entries.list().total).toBe(0);
    expect(s.kb.documents.list()).toHaveLength(0);

    const imported = await send('import', editor, '问答.xlsx', sheet).expect(201);
    expect(imported.body.counts).toEqual(preview.body.counts);
    const entries = s.kb.entries.list().items;
    expect(entries.map((e) => [e.question, e.status, e.origin])).toEqual([
      ['营业执照遗失了怎么补办？', 'draft', 'import'],
      ['12345是什么热线？', 'draft', 'import'],
    ]);
    expect(imported.body.entries.map((e: { entryId: number }) => e.entryId)).toEqual(entries.map((e) => e.id));
    expect(entries[0]).toMatchObject({ level: 'district', region: '示例区', audience: 'enterprise', department: '区市场监管局', serviceItem: '营业执照补领', effectiveFrom: '2026-01-01' });

    const again = await send('preview', editor, '问答.xlsx', sheet).expect(200);
    expect(again.body).toMatchObject({ status: 'unchanged', counts: { create: 0, update: 0, unchanged: 2, archive: 0 } });
  });

  it('a changed sheet previews which entries change, which fields, and which are archived', async () => {
    await send('import', admin, '问答.xlsx', await xlsx([LICENCE, HOTLINE]), '&publish=true').expect(201);
    expect(s.kb.entries.list({ status: 'published' }).total).toBe(2);
    const changed = await xlsx([{ ...LICENCE, 答案: '登录“一网通办”搜索“营业执照补领”，全程网办。' }, { 问题: '居住证怎么办理？', 答案: '在“随申办”申领。', 分类: '常见问题' }]);
    const preview = await send('preview', editor, '问答.xlsx', changed).expect(200);
    expect(preview.body).toMatchObject({ status: 'changed', counts: { create: 1, update: 1, unchanged: 0, archive: 1 } });
    const byAction = Object.fromEntries(preview.body.entries.map((e: { action: string }) => [e.action, e]));
    expect(byAction.update).toMatchObject({ question: '营业执照遗失了怎么补办？', status: 'published', changed: ['answer'] });
    expect(byAction.archive).toMatchObject({ question: '12345是什么热线？' });
    expect(s.kb.entries.list({ status: 'archived' }).total).toBe(0);
  });

  it('publish=true publishes on import only for roles that may publish: not an editor, and a reviewer may not import at all', async () => {
    const sheet = await xlsx([HOTLINE]);
    const refused = await send('import', editor, 'hotline.xlsx', sheet, '&publish=true').expect(403);
    expect(refused.body.message).toContain('编辑角色无权发布');
    expect(s.kb.entries.list().total).toBe(0);
    const out = await send('import', admin, 'hotline.xlsx', sheet, '&publish=true').expect(201);
    expect(out.body.published).toBe(1);
    expect(s.kb.entries.list({ status: 'published' }).total).toBe(1);
    await send('preview', reviewer, 'hotline.xlsx', sheet).expect(403);
    await send('import', reviewer, 'hotline.xlsx', sheet).expect(403);
    await request(app).post('/api/v1/admin/documents/preview?name=a.xlsx').send(sheet).expect(401);
  });

  it('previews a policy document with its 文号 and effective date, and lists it on the policy watch list once imported', async () => {
    const doc = Buffer.from(POLICY, 'utf8');
    const preview = await send('preview', editor, '年报帮办规定.txt', doc).expect(200);
    expect(preview.body).toMatchObject({ kind: 'policy', status: 'new', title: '示例区企业年报帮办服务规定', docNumber: '示例服〔2026〕3号' });
    expect(preview.body.counts.create).toBeGreaterThan(1);
    expect(s.kb.documents.list()).toHaveLength(0);

    await send('import', editor, '年报帮办规定.txt', doc).expect(201);
    const list = await request(app).get('/api/v1/admin/documents').set('Authorization', `Bearer ${reviewer}`).expect(200);
    expect(list.body.today).toBe('2026-08-26');
    const [row] = list.body.documents;
    // Takes effect on Friday 28 August, two working days away, with every entry still a draft.
    expect(row).toMatchObject({ title: '示例区企业年报帮办服务规定', effectiveDate: '2026-08-28', watch: { state: 'at_risk', publishBy: '2026-08-27' } });
    expect(row.entries.draft).toBe(preview.body.counts.create);
  });

  it('the preview names the generated entries the quality gate drops, with the reason, and the import does not create them', async () => {
    const doc = fs.readFileSync(path.join(SAMPLE_DOCS_DIR, 'sample-01-企业开办指引.md'));
    const preview = await send('preview', editor, 'sample-01-企业开办指引.md', doc).expect(200);
    expect(preview.body.dropped.length).toBeGreaterThan(0);
    for (const d of preview.body.dropped) expect(d.reason).toMatch(/\p{Script=Han}/u);
    await send('import', editor, 'sample-01-企业开办指引.md', doc).expect(201);
    const questions = s.kb.entries.list({ limit: 500 }).items.map((e) => e.question);
    for (const d of preview.body.dropped) expect(questions).not.toContain(d.question);
  });

  it('exports XLSX in the import columns; importing the export changes nothing, and exporting again gives the same sheet', async () => {
    await send('import', admin, '问答.xlsx', await xlsx([LICENCE, HOTLINE]), '&publish=true').expect(201);
    await send('import', admin, '年报帮办规定.txt', Buffer.from(POLICY, 'utf8')).expect(201);
    const total = s.kb.entries.list().total;
    const first = await exportAs('xlsx').expect(200);
    expect(first.headers['content-type']).toContain('spreadsheetml');
    expect(first.headers['content-disposition']).toContain("filename*=UTF-8''");
    const rows = await readXlsx(first.body);
    expect(rows[0]).toEqual([...SHEET_COLUMNS]);
    expect(rows).toHaveLength(total + 1);
    expect(rows.find((r) => r[0] === LICENCE.问题)).toEqual(SHEET_COLUMNS.map((c) => (c === '答案' ? LICENCE.答案 : (LICENCE[c] ?? ''))));

    const before = s.kb.entries.list({ limit: 1000 }).items.map((e) => [e.id, e.version]);
    const preview = await send('preview', editor, '导出.xlsx', first.body).expect(200);
    expect(preview.body.counts).toEqual({ create: 0, update: 0, unchanged: total, archive: 0 });
    await send('import', editor, '导出.xlsx', first.body).expect(201);
    expect(s.kb.entries.list({ limit: 1000 }).items.map((e) => [e.id, e.version])).toEqual(before);
    const second = await exportAs('xlsx').expect(200);
    expect(await readXlsx(second.body)).toEqual(rows);
  });

  it('round-trips a real KB (the five seed policies) whose documents share questions such as “总体要求是什么？”', async () => {
    const seeded = await servicesFor([SEEDS_DIR], { clock: fixedClock(NOW) });
    try {
      const seededApp = createApp(seeded);
      const token = seeded.tokens.create('张编辑', 'editor', 'test').token;
      const total = seeded.kb.entries.list().total;
      const questions = seeded.kb.entries.list({ limit: 1000 }).items.map((e) => e.question);
      expect(new Set(questions).size).toBeLessThan(questions.length);
      const exported = await request(seededApp).get('/api/v1/admin/entries/export?format=xlsx').set('Authorization', `Bearer ${token}`).buffer(true).parse(binary)
        .expect(200);
      const preview = await request(seededApp)
        .post(`/api/v1/admin/documents/preview?name=${encodeURIComponent('全部条目.xlsx')}&limit=1000`)
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/octet-stream')
        .send(exported.body)
        .expect(200);
      expect(preview.body.counts).toEqual({ create: 0, update: 0, unchanged: total, archive: 0 });
      expect(new Set(preview.body.entries.map((e: { entryId: number }) => e.entryId)).size).toBe(total);
    } finally {
      seeded.cleanup();
    }
  });

  it('re-importing a changed sheet keeps the published answer until approved', async () => {
    await send('import', admin, '年报帮办规定.txt', Buffer.from(POLICY, 'utf8'), '&publish=true').expect(201);
    await s.engine.sync();
    const rows = await readXlsx((await exportAs('xlsx').expect(200)).body);
    const target = s.kb.entries.list().items.find((e) => e.question.includes('是什么文件'))!;
    const edited = rows.slice(1).map((r) => Object.fromEntries(SHEET_COLUMNS.map((c, i) => [c, r[i]])) as Row);
    edited.find((r) => r.问题 === target.question)!.答案 = '新的答复口径。';
    const out = await send('import', editor, '导出-修改.xlsx', await xlsx(edited)).expect(201);
    expect(out.body.counts).toMatchObject({ create: 0, update: 1, archive: 0 });
    expect(out.body).toMatchObject({ published: 0, revisions: 1 });
    expect(out.body.entries.find((e: { entryId: number }) => e.entryId === target.id)).toMatchObject({ action: 'update', pending: true, changed: ['answer'] });
    // the entry keeps its published text and its source; the change waits for a reviewer
    const waiting = s.kb.entries.get(target.id)!;
    expect(waiting).toMatchObject({ answer: target.answer, documentId: target.documentId, origin: 'ingest', status: 'published' });
    expect(s.kb.revisions.pending(target.id)).toMatchObject({ proposedBy: '张编辑', changes: { answer: '新的答复口径。' } });
    expect((await request(app).get(`/api/v1/entries/${target.id}`).expect(200)).body.answer).toBe(target.answer);
    const hit = await s.answers.answer({ question: target.question });
    expect(hit.answer?.answer).not.toContain('新的答复口径');

    await request(app).post(`/api/v1/admin/entries/${target.id}/revision/approve`).set('Authorization', `Bearer ${reviewer}`).send({ version: waiting.version }).expect(200);
    expect(s.kb.entries.get(target.id)).toMatchObject({ answer: '新的答复口径。', documentId: target.documentId, origin: 'ingest', status: 'published' });
    expect((await request(app).get(`/api/v1/entries/${target.id}`).expect(200)).body.answer).toBe('新的答复口径。');
  });

  it('exports CSV with a BOM and CRLF rows that import back unchanged', async () => {
    await send('import', admin, '问答.xlsx', await xlsx([LICENCE, { ...HOTLINE, 答案: '热线 "12345"，24 小时，随时拨打' }]), '&publish=true').expect(201);
    const csv = await exportAs('csv').expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const text = csv.body.toString('utf8');
    expect(text.startsWith('\ufeff问题,答案,相似问法,分类,事项,责任单位,层级,区域,对象,关键词,生效日期,失效日期\r\n')).toBe(true);
    expect(text).toContain('"热线 ""12345""，24 小时，随时拨打"');
    const preview = await send('preview', editor, 'export.csv', csv.body).expect(200);
    expect(preview.body.counts).toEqual({ create: 0, update: 0, unchanged: 2, archive: 0 });
  });

  it('an answer with a URL query (&region=, &copy=) imports as written and round-trips export → import unchanged', async () => {
    const url = 'https://zwdt.sh.gov.cn/item?id=1&region=2&not=3&para=4&times=5&copy=6';
    const answer = `登录 ${url} 在线办理。`;
    await send('import', admin, '问答.xlsx', await xlsx([{ ...HOTLINE, 答案: answer }]), '&publish=true').expect(201);
    expect(s.kb.entries.list().items.map((e) => e.answer)).toEqual([answer]);
    for (const format of ['xlsx', 'csv']) {
      const exported = await exportAs(format).expect(200);
      const preview = await send('preview', editor, `export.${format}`, exported.body).expect(200);
      expect(preview.body.counts).toEqual({ create: 0, update: 0, unchanged: 1, archive: 0 });
    }
  });

  it('exports only what the filters select; archived entries only when asked for', async () => {
    await send('import', admin, '问答.xlsx', await xlsx([LICENCE, HOTLINE]), '&publish=true').expect(201);
    const hotline = s.kb.entries.list({ text: '12345' }).items[0];
    s.kb.entries.archive(hotline.id, 'test', '不再需要');
    expect((await readXlsx((await exportAs('xlsx').expect(200)).body)).map((r) => r[0])).toEqual(['问题', LICENCE.问题]);
    expect((await readXlsx((await exportAs('xlsx', editor, '&status=archived').expect(200)).body)).map((r) => r[0])).toEqual(['问题', HOTLINE.问题]);
    expect((await readXlsx((await exportAs('xlsx', editor, '&category=hotline').expect(200)).body)).map((r) => r[0])).toEqual(['问题']);
  });

  it('bad uploads are 4xx naming the field, in Chinese, and write nothing', async () => {
    const sheet = await xlsx([HOTLINE]);
    const post = (url: string, body: Buffer | string) =>
      request(app).post(url).set('Authorization', `Bearer ${editor}`).set('Content-Type', 'application/octet-stream').send(body);
    const noName = await post('/api/v1/admin/documents/preview', sheet).expect(400);
    expect(noName.body).toMatchObject({ field: 'name', message: expect.stringContaining('文件名') });
    expect((await send('preview', editor, 'notes.exe', sheet).expect(400)).body).toMatchObject({ field: 'name', message: expect.stringContaining('不支持') });
    expect((await send('preview', editor, '../../etc/passwd.txt', sheet).expect(400)).body.field).toBe('name');
    expect((await send('preview', editor, 'empty.xlsx', Buffer.alloc(0)).expect(400)).body.field).toBe('file');
    const bad = await send('import', editor, 'bad.xlsx', await xlsx([{ 问题: '问一', 答案: '答一', 分类: '杂项' }])).expect(400);
    expect(bad.body).toMatchObject({ field: 'file', message: expect.stringMatching(/bad\.xlsx.*没有可导入的行.*第 2 行“分类”：“杂项”不是栏目/) });
    const huge = await send('preview', editor, 'huge.txt', Buffer.alloc(21 * 1024 * 1024, 0x41)).expect(413);
    expect(huge.body).toMatchObject({ field: 'file', message: expect.stringContaining('20 MB') });
    const byHeader = await request(app)
      .post('/api/v1/admin/documents/preview')
      .set('Authorization', `Bearer ${editor}`)
      .set('Content-Type', 'application/octet-stream')
      .set('X-File-Name', encodeURIComponent('热线.xlsx'))
      .send(sheet)
      .expect(200);
    expect(byHeader.body.file).toBe('热线.xlsx');
    expect(JSON.parse((await exportAs('pdf').expect(400)).body.toString()).field).toBe('format');
    expect(s.kb.entries.list().total).toBe(0);
    expect(s.kb.documents.list()).toHaveLength(0);
  });
});
