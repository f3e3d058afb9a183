/**
 * Row-level import of a real department sheet: ../shared/eval/external-faq/faq.csv (2,081 rows published by Beijing
 * agencies, kept as it is: a blank answer, repeated questions, questions over 500 characters, HTML entities).
 */
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { KnowledgeBase } from '../server/kb/index.js';
import { fixedClock } from '../server/kb/clock.js';
import { WorkingCalendar } from '../server/ops/calendar.js';
import { openGapsFromImport } from '../server/ops/gaps.js';
import { createApp } from '../server/app.js';
import { ingestFile, ingestFileWithPlan, planFile, type FileResult } from '../ingest/pipeline.js';
import { readSourceFile } from '../ingest/readers/index.js';
import { REASON_COLUMN, ROW_COLUMN } from '../ingest/rejected-sheet.js';
import { servicesFor } from './helpers/services.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';

const FAQ = path.resolve(REPO_ROOT, '../shared/eval/external-faq/faq.csv');
// Friday 2026-09-25 10:00 Shanghai: 5 working days later, over the National Day holiday, is a date well into October.
const NOW = '2026-09-25T02:00:00Z';
const opts = { publish: true, actor: 'test', calendar: new WorkingCalendar() };

/** The sheet's records as a CSV reader returns them (1-based record n is spreadsheet row n + 1). */
const records = parse(fs.readFileSync(FAQ), { columns: true }) as Array<{ question: string; answer: string; department: string }>;

describe('the real 2,081-row FAQ sheet', () => {
  let dir: string;
  let kb: KnowledgeBase;
  let result: FileResult;

  beforeAll(async () => {
    dir = tempDir();
    kb = KnowledgeBase.open(dir, fixedClock(NOW));
    result = await ingestFile(kb, FAQ, opts);
  }, 60_000);
  afterAll(() => {
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports every good row; the summary is exactly what is in the KB', () => {
    expect(result.status, result.error).toBe('new');
    const sheet = result.sheet!;
    expect(sheet.rows).toBe(records.length);
    expect(sheet.imported + sheet.rejected + sheet.gaps.length).toBe(sheet.rows);
    const merged = sheet.byKind.duplicate_merged ?? 0;
    expect(result.entries.created).toBe(sheet.imported - merged);
    const inKb = kb.entries.ofDocument(result.documentId!);
    expect(inKb).toHaveLength(result.entries.created);
    expect(inKb.every((e) => e.status === 'published' && e.origin === 'import')).toBe(true);

    // every row that is neither rejected nor unanswered is an entry saying its answer (entities decoded)
    const notImported = new Set(sheet.problems.filter((p) => p.outcome !== 'note').map((p) => p.rowNumber));
    const answers = new Set(inKb.map((e) => e.answer));
    for (const [i, r] of records.entries()) {
      if (notImported.has(i + 2)) continue;
      expect(answers.has(r.answer.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/&times;/g, '×').replace(/&divide;/g, '÷')
        .replace(/&mdash;/g, '—').replace(/&nbsp;/g, ' ').replace(/&quot;/g, '"').replace(/\r\n?/g, '\n').trim()), `row ${i + 2}`).toBe(true);
    }
    expect(inKb.some((e) => e.answer.includes('《北京市实施<中华人民共和国防洪法>办法》'))).toBe(true);
    expect(inKb.filter((e) => e.answer.includes('\n')).length).toBeGreaterThanOrEqual(10);
  });

  it('the blank-answer row (record 543, spreadsheet row 544) becomes a gap due 5 working days after the import', () => {
    expect(records[542].answer.trim()).toBe('');
    const [gap] = result.sheet!.gaps;
    expect(result.sheet!.gaps).toHaveLength(1);
    expect(gap).toMatchObject({ rowNumber: 544, question: records[542].question, created: true });
    const stored = kb.db.prepare('SELECT * FROM gaps WHERE id = ?').get(gap.gapId) as { status: string; question: string; due_date: string; first_asked_at: string };
    expect(stored).toMatchObject({ status: 'open', question: records[542].question, first_asked_at: '2026-09-25T02:00:00.000Z' });
    expect(stored.due_date).toBe(new WorkingCalendar().addWorkingDays('2026-09-25', 5));
    expect(result.sheet!.problems).toContainEqual(expect.objectContaining({ rowNumber: 544, column: '答案', kind: 'blank_answer', outcome: 'gap' }));
  });

  it('repeated questions: same answer merged (department noted), different department kept apart, otherwise reported', () => {
    const problems = result.sheet!.problems;
    const at = (row: number) => problems.filter((p) => p.rowNumber === row);
    // rows 1095 / 32 (records 1094 / 31): same question and answer from 规划自然资源委 and 应急局
    expect(at(1095)).toEqual([expect.objectContaining({ kind: 'duplicate_merged', outcome: 'note', message: expect.stringContaining('第 32 行') })]);
    const merged = kb.entries.list({ text: records[30].question.slice(0, 12) }).items.find((e) => e.question === records[30].question)!;
    expect(merged.department).toBe('应急局、规划自然资源委');
    // rows 1560 / 1542: different answers from 科委 and 首都之窗: two entries
    expect(at(1560)).toEqual([expect.objectContaining({ kind: 'duplicate_kept_apart', outcome: 'note' })]);
    const twice = kb.entries.list({ text: records[1558].question }).items.filter((e) => e.question === records[1558].question);
    expect(twice.map((e) => e.department).sort()).toEqual(['科委', '首都之窗'].sort());
    // row 30 repeats row 4 (the first duplicate) with another answer from the same department: reported
    expect(at(30)).toEqual([expect.objectContaining({ column: '答案', kind: 'duplicate_conflict', outcome: 'rejected', message: expect.stringContaining('第 4 行') })]);
    expect(kb.entries.list({ text: '遇到险情怎么办' }).items.filter((e) => e.question === '遇到险情怎么办').map((e) => e.answer)).toEqual([records[2].answer.trim()]);
    // every exact repeat of the sheet is accounted for
    const first = new Map<string, number>();
    records.forEach((r, i) => {
      if (!first.has(r.question.trim())) return void first.set(r.question.trim(), i);
      expect(at(i + 2).map((p) => p.kind)[0], `row ${i + 2}`).toMatch(/^duplicate_/);
    });
  });

  it('over-long questions are stored, whole, with a short question for display', () => {
    const long = records.map((r, i) => ({ ...r, row: i + 2 })).filter((r) => r.question.length > 500);
    expect(long.map((r) => r.row)).toEqual([87, 750]);
    for (const r of long) {
      const entry = kb.entries.list({ text: r.question.slice(0, 30), limit: 5 }).items.find((e) => e.similarQuestions.includes(r.question))!;
      expect(entry.question).toBe(r.question.slice(0, r.question.indexOf('？') + 1));
      expect(entry.answer).toBe(r.answer.trim());
    }
    expect(result.sheet!.byKind.long_question).toBe(2);
  });

  it('the report names every problem row with column and reason; the rejected-rows sheet holds exactly the rejected rows', () => {
    const { problems, rejectedSheet, rejected } = result.sheet!;
    for (const p of problems) {
      expect(p.rowNumber).toBeGreaterThan(1);
      expect(p.column).toMatch(/^[\u4e00-\u9fff]+$/);
      expect(p.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const rejectedRows = [...new Set(problems.filter((p) => p.outcome === 'rejected').map((p) => p.rowNumber))];
    expect(rejectedSheet[0]).toEqual(['question', 'answer', 'department', ROW_COLUMN, REASON_COLUMN]);
    expect(rejectedSheet.slice(1).map((r) => Number(r[3]))).toEqual(rejectedRows);
    expect(rejectedSheet).toHaveLength(rejected + 1);
    for (const r of rejectedSheet.slice(1)) expect(r.slice(0, 3)).toEqual([records[Number(r[3]) - 2].question.trim(), records[Number(r[3]) - 2].answer.trim(), records[Number(r[3]) - 2].department.trim()]);
  });

  it('importing the same file again changes nothing', async () => {
    const again = await ingestFile(kb, FAQ, opts);
    expect(again.status).toBe('unchanged');
    expect((kb.db.prepare('SELECT count(*) AS n FROM gaps').get() as { n: number }).n).toBe(1);
  });

  it('the rejected-rows sheet round-trips: read back it gives the same rows; fixed, it imports', async () => {
    const { rejectedSheetCsv } = await import('../ingest/rejected-sheet.js');
    const file = path.join(dir, 'faq-未导入的行.csv');
    fs.writeFileSync(file, rejectedSheetCsv(result.sheet!.rejectedSheet));
    const back = await readSourceFile(file);
    if (back.kind !== 'qa') throw new Error('expected a sheet');
    expect(back.rows.map((r) => r.cells)).toEqual(result.sheet!.rejectedSheet.slice(1));
    // the editor resolves each conflict by making the question say whose answer it is
    const fixed = result.sheet!.rejectedSheet.map((r, i) => (i === 0 ? r : [`${r[0]}（第 ${r[3]} 行口径）`, ...r.slice(1)]));
    fs.writeFileSync(file, rejectedSheetCsv(fixed));
    const r = await ingestFile(kb, file, opts);
    expect(r.status, r.error).toBe('new');
    expect(r.sheet).toMatchObject({ rejected: 0, imported: result.sheet!.rejected, problems: [] });
    expect(r.entries.created).toBe(result.sheet!.rejected);
  });
});

describe('repeated questions and rejected rows in smaller sheets', () => {
  it('a row now rejected keeps the entry an earlier import made from it', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    const file = path.join(dir, 'qa.csv');
    fs.writeFileSync(file, '问题,答案,生效日期\n怎么预约？,网上预约。,2026-01-01\n热线？,12345,\n');
    expect((await ingestFile(kb, file, opts)).entries.created).toBe(2);
    fs.writeFileSync(file, '问题,答案,生效日期\n怎么预约？,网上预约。,明年\n热线？,12345,\n');
    const r = await ingestFile(kb, file, opts);
    expect(r.entries).toMatchObject({ archived: 0, unchanged: 1 });
    expect(r.sheet!.problems).toEqual([expect.objectContaining({ rowNumber: 2, column: '生效日期', kind: 'bad_date' })]);
    expect(kb.entries.list({ status: 'published' }).total).toBe(2);
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a preview writes nothing, not even the gap, and says the same as the import', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    const file = path.join(dir, 'qa.csv');
    fs.writeFileSync(file, 'question,answer,department\n怎么预约？,网上预约。,甲\n怎么预约?,网上预约。,乙\n没有答案的问题？,,甲\n怎么预约？,窗口预约。,甲\n');
    const preview = await planFile(kb, file, opts);
    expect(kb.entries.list().total).toBe(0);
    expect((kb.db.prepare('SELECT count(*) AS n FROM gaps').get() as { n: number }).n).toBe(0);
    expect(preview.sheet!.gaps).toEqual([{ rowNumber: 4, question: '没有答案的问题？', gapId: null, created: true }]);
    const done = await ingestFile(kb, file, opts);
    const { gaps: previewGaps, ...previewRest } = preview.sheet!;
    const { gaps: doneGaps, ...doneRest } = done.sheet!;
    expect(doneRest).toEqual(previewRest);
    expect(doneGaps[0].gapId).toEqual(expect.any(Number));
    expect(previewRest.problems.map((p) => [p.rowNumber, p.kind])).toEqual([[3, 'duplicate_merged'], [4, 'blank_answer'], [5, 'duplicate_conflict']]);
    expect(kb.entries.list().items.map((e) => [e.question, e.department])).toEqual([['怎么预约？', '甲、乙']]);
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('gaps of unanswered rows', () => {
  it('a preview lists the gaps the import then opens or joins — a question asked twice in the sheet opens one gap — and writes none', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    const file = path.join(dir, 'qa.csv');
    const known = openGapsFromImport(kb, opts.calendar, [{ rowNumber: 2, question: '已有缺口的问题？' }])[0].gapId;
    fs.writeFileSync(file, 'question,answer\n怎么预约？,网上预约。\n没有答案的问题？,\n没有答案的问题?,\n已有缺口的问题？,\n');
    const create = vi.spyOn(kb.gaps, 'create');
    const preview = await planFile(kb, file, opts);
    expect(create).not.toHaveBeenCalled();
    expect(preview.sheet!.gaps).toEqual([
      { rowNumber: 3, question: '没有答案的问题？', gapId: null, created: true },
      { rowNumber: 4, question: '没有答案的问题?', gapId: null, created: false },
      { rowNumber: 5, question: '已有缺口的问题？', gapId: known, created: false },
    ]);
    const done = await ingestFile(kb, file, opts);
    expect(create).toHaveBeenCalledTimes(1);
    const opened = done.sheet!.gaps[0].gapId;
    expect(opened).not.toBe(known);
    expect(done.sheet!.gaps).toEqual(preview.sheet!.gaps.map((g, i) => ({ ...g, gapId: g.gapId ?? opened, ...(i === 0 ? { created: true } : {}) })));
    create.mockRestore();
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('a preview over a KB that already holds the entries', () => {
  it('says entry by entry what the import then does: kept, changed (waiting for review), archived, created, matched by question', async () => {
    const dir = tempDir();
    const kb = KnowledgeBase.open(dir);
    const file = path.join(dir, 'qa.csv');
    const other = path.join(dir, 'other.csv');
    fs.writeFileSync(file, '问题,答案\n怎么预约？,网上预约。\n热线？,12345\n要带什么材料？,身份证。\n几点开门？,九点。\n');
    fs.writeFileSync(other, '问题,答案\n停车收费吗？,免费。\n');
    await ingestFile(kb, file, opts);
    await ingestFile(kb, other, opts);
    // an editor's change to 几点开门？ already waits for review: the sheet's change is merged into it
    const opening = kb.entries.list({ text: '几点开门' }).items[0];
    kb.revisions.propose(opening.id, { answer: '九点半。' }, '李编辑', '改时间');
    fs.writeFileSync(file, '问题,答案\n怎么预约？,网上预约。\n热线？,12345 或 962000\n几点开门？,十点。\n停车收费吗？,免费，限两小时。\n新问题？,新答案。\n没有答案的问题？,\n');
    const tables = ['entries', 'entry_versions', 'entry_revisions', 'gaps', 'documents'];
    const rows = () => tables.map((t) => (kb.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n);
    const before = rows();
    const options = { publish: false, actor: '张编辑', matchQuestions: true, calendar: new WorkingCalendar() };

    const preview = await planFile(kb, file, options);
    expect(rows()).toEqual(before);
    expect(preview.entries).toEqual({ created: 1, updated: 3, unchanged: 1, archived: 1, published: 0, revisions: 3 });
    expect(preview.plan.map((p) => [p.action, p.question, p.pending ?? false])).toEqual([
      ['unchanged', '怎么预约？', false], ['update', '热线？', true], ['update', '几点开门？', true],
      ['update', '停车收费吗？', true], ['create', '新问题？', false], ['archive', '要带什么材料？', false],
    ]);

    const imported = await ingestFileWithPlan(kb, file, options);
    expect(imported.status).toBe('changed');
    expect(imported.entries).toEqual(preview.entries);
    expect(imported.plan.map((p) => (p.action === 'create' ? { ...p, entryId: null } : p))).toEqual(preview.plan);
    const { gaps: previewGaps, ...previewSheet } = preview.sheet!;
    const { gaps: importGaps, ...importSheet } = imported.sheet!;
    expect(importSheet).toEqual(previewSheet);
    expect(importGaps.map((g) => [g.rowNumber, g.created])).toEqual(previewGaps.map((g) => [g.rowNumber, g.created]));
    expect(imported.byCategory).toEqual(preview.byCategory);
    // the published answers still answer until a reviewer approves; the merged change is what waits
    expect(kb.entries.require(opening.id).answer).toBe('九点。');
    expect(kb.revisions.pending(opening.id)?.changes).toEqual({ answer: '十点。' });
    kb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('admin upload of the real sheet', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let app: ReturnType<typeof createApp>;
  let editor: string;
  beforeAll(async () => {
    s = await servicesFor([], { clock: fixedClock(NOW) });
    app = createApp(s);
    editor = s.tokens.create('张编辑', 'editor', 'test').token;
  });
  afterAll(() => s.cleanup());

  const post = (kind: string, extra = '') =>
    request(app)
      .post(`/api/v1/admin/documents/${kind}?name=faq.csv${extra}`)
      .set('Authorization', `Bearer ${editor}`)
      .set('Content-Type', 'application/octet-stream')
      .send(fs.readFileSync(FAQ));

  it('the preview lists every problem row with counts per kind before anything is written, and the import does the same', async () => {
    const preview = await post('preview').expect(200);
    expect(s.kb.entries.list().total).toBe(0);
    const sheet = preview.body.sheet;
    expect(sheet).toMatchObject({ rows: 2081, byKind: { blank_answer: 1, long_question: 2 }, gaps: [{ rowNumber: 544, gapId: null }] });
    expect(sheet.problems).toContainEqual(expect.objectContaining({ rowNumber: 30, column: '答案', kind: 'duplicate_conflict' }));
    expect(sheet.rejectedSheet).toBeUndefined();
    expect(preview.body.counts.create).toBe(sheet.imported - sheet.byKind.duplicate_merged);

    const imported = await post('import').expect(201);
    expect(imported.body.sheet.problems).toEqual(sheet.problems);
    expect(s.kb.entries.list().total).toBe(preview.body.counts.create);
    expect(s.gaps.list().items.map((g) => g.question)).toEqual([records[542].question]);
  }, 60_000);

  it('downloads the rejected rows as XLSX and CSV, with the reason column', async () => {
    const asXlsx = await post('rejected', '&format=xlsx').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(asXlsx.headers['content-disposition']).toContain(encodeURIComponent('faq-未导入的行.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(asXlsx.body as Buffer).buffer);
    const header = (wb.worksheets[0].getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['question', 'answer', 'department', ROW_COLUMN, REASON_COLUMN]);
    expect(wb.worksheets[0].getRow(2).getCell(4).text).toBe('30');
    expect(wb.worksheets[0].getRow(2).getCell(5).text).toContain('第 4 行');

    const asCsv = await post('rejected', '&format=csv').expect(200);
    expect(asCsv.headers['content-type']).toContain('text/csv');
    const rows = parse(asCsv.text.replace(/^\ufeff/, '')) as string[][];
    expect(rows.length).toBe(wb.worksheets[0].rowCount);
    const bad = await request(app).post('/api/v1/admin/documents/rejected?name=a.txt').set('Authorization', `Bearer ${editor}`)
      .set('Content-Type', 'application/octet-stream').send('一、总体要求\n\n内容。').expect(400);
    expect(bad.body.message).toContain("不是问答表");
  }, 60_000);
});
