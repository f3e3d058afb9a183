import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, readSourceFile, SUPPORTED_EXTENSIONS } from '../ingest/readers/index.js';
import { IngestError, type QaRow, type ReadResult } from '../ingest/types.js';
import { buildDocx, buildPdf } from './helpers/fixtures.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bangban-readers-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes a fixture into the temp dir and returns its path. */
function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

async function readDoc(file: string) {
  const result = await readSourceFile(file);
  if (result.kind !== 'document') throw new Error(`expected a document, got ${result.kind}`);
  return result;
}

async function readSheet(file: string) {
  const result = await readSourceFile(file);
  if (result.kind !== 'qa') throw new Error(`expected Q&A rows, got ${result.kind}`);
  return result;
}

/** The rows' fields (the raw cells kept for the rejected-rows sheet are checked separately). */
async function readQa(file: string): Promise<QaRow[]> {
  return (await readSheet(file)).rows.map(({ cells: _cells, ...row }) => row);
}

/** The IngestError a read fails with (fails the test if it succeeds or throws something else). */
async function ingestError(file: string): Promise<IngestError> {
  let result: ReadResult | undefined;
  try {
    result = await readSourceFile(file);
  } catch (err) {
    expect(err).toBeInstanceOf(IngestError);
    return err as IngestError;
  }
  throw new Error(`expected an IngestError, got ${JSON.stringify(result).slice(0, 200)}`);
}

describe('txt', () => {
  it('reads UTF-8 with a BOM and CRLF line endings', async () => {
    const file = write('办事指南.txt', '\ufeff一、办理条件\r\n　　申请人应当提交营业执照。\r\n');
    const doc = await readDoc(file);
    expect(doc.format).toBe('txt');
    expect(doc.text).toBe('一、办理条件\n　　申请人应当提交营业执照。\n');
  });

  it('falls back to GB18030 for GBK-encoded text', async () => {
    // "问题答案" in GBK; TextDecoder confirms the sample bytes before we rely on them.
    const gbk = Uint8Array.from([0xce, 0xca, 0xcc, 0xe2, 0xb4, 0xf0, 0xb0, 0xb8]);
    expect(new TextDecoder('gb18030').decode(gbk)).toBe('问题答案');
    const doc = await readDoc(write('gbk.txt', Buffer.concat([gbk, Buffer.from('\n')])));
    expect(doc.text).toBe('问题答案\n');
  });

  it('reads a UTF-16 file that has a BOM', async () => {
    const doc = await readDoc(write('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('帮办服务', 'utf16le')])));
    expect(doc.text).toBe('帮办服务');
  });

  it('accepts an upper-case extension', async () => {
    const doc = await readDoc(write('NOTICE.TXT', '通知'));
    expect(doc.text).toBe('通知');
  });

  const seedsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/seeds');
  it.skipIf(!fs.existsSync(seedsDir))('reads the five seed policy texts', async () => {
    const seeds = fs.readdirSync(seedsDir).filter((f) => f.endsWith('.txt')).sort();
    expect(seeds).toHaveLength(5);
    for (const seed of seeds) {
      const doc = await readDoc(path.join(seedsDir, seed));
      expect(doc.text.length).toBeGreaterThan(1000);
      expect(doc.text).not.toContain('\ufffd');
    }
    const doc004 = await readDoc(path.join(seedsDir, seeds.find((f) => f.startsWith('004_'))!));
    expect(doc004.text).toContain('沪府办发');
    expect(doc004.text).toContain('进一步优化在线为企帮办服务工作方案');
  });
});

describe('markdown', () => {
  it('turns headings, numbered lists and tables into plain lines', async () => {
    const md = [
      '# 上海市企业开办指南',
      '',
      '本指南适用于**本市**新设立的企业 &amp; 个体工商户。',
      '',
      '## 办理流程',
      '',
      '1. 网上申报',
      '2. 领取[营业执照](https://zwdt.sh.gov.cn)',
      '',
      '- 全程网办',
      '',
      '| 事项 | 办理时限 | 责任单位 |',
      '| --- | --- | --- |',
      '| 企业登记 | 1 个工作日 | 市场监管局 |',
      '| 公章刻制 | 0.5 个工作日 | 公安局 |',
      '',
      '> 咨询电话：12345',
    ].join('\n');
    const doc = await readDoc(write('guide.md', md));
    expect(doc.format).toBe('md');
    expect(doc.title).toBe('上海市企业开办指南');
    expect(doc.text.split('\n')).toEqual([
      '上海市企业开办指南',
      '本指南适用于本市新设立的企业 & 个体工商户。',
      '办理流程',
      '1. 网上申报',
      '2. 领取营业执照',
      '- 全程网办',
      '事项 | 办理时限 | 责任单位',
      '企业登记 | 1 个工作日 | 市场监管局',
      '公章刻制 | 0.5 个工作日 | 公安局',
      '咨询电话：12345',
    ]);
  });

  it('keeps nested list markers, code and HTML blocks as lines', async () => {
    const md = '1. 申请\n   - 线上\n   - 线下\n3) 审核\n\n```\n代码行\n```\n\n<table><tr><td>甲</td><td>乙</td></tr></table>\n\n第一行<br>第二行';
    const doc = await readDoc(write('mixed.md', md));
    expect(doc.title).toBeUndefined();
    expect(doc.text.split('\n')).toEqual(['1. 申请', '- 线上', '- 线下', '3) 审核', '代码行', '甲 | 乙', '第一行', '第二行']);
  });

  it('takes the first heading as title when there is no level-1 heading', async () => {
    const doc = await readDoc(write('faq.md', '正文在前。\n\n## 常见问题\n\n问：如何预约？'));
    expect(doc.title).toBe('常见问题');
    expect(doc.text).toBe('正文在前。\n常见问题\n问：如何预约？');
  });
});

describe('markdown entities', () => {
  it('keeps a bare & in a paragraph, a list item and a link as written; ;-terminated references are decoded', async () => {
    const url = 'https://zwdt.sh.gov.cn/item?id=1&region=2&not=3&para=4&times=5&copy=6';
    const doc = await readDoc(write('urls.md', `# 办事入口\n\n登录 ${url} 办理 &amp; 查询。\n\n- 入口：<${url}>\n- [${url}](${url})\n`));
    expect(doc.text.split('\n')).toEqual(['办事入口', `登录 ${url} 办理 & 查询。`, `- 入口：${url}`, `- ${url}`]);
  });
});

describe('html', () => {
  it('extracts text, keeps table rows on one line and decodes entities', async () => {
    const html = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>关于优化帮办服务的通知 &mdash; 上海市</title>
<style>p { color: red; }</style><script>var x = "<p>不应出现</p>";</script></head>
<body>
<h1>关于优化帮办服务的通知</h1>
<p>各区人民政府：<br>现将有关事项通知如下&#65306;</p>
<div>一、服务时间&nbsp;工作日 9:00&ndash;17:00</div>
<ul><li>线上帮办</li><li>线下帮办 &lt;窗口&gt;</li></ul>
<!-- <p>注释</p> -->
<table>
  <tr><th>事项</th><th>时限</th></tr>
  <tr><td><p>企业开办</p></td><td>1&#x4E2A;工作日</td></tr>
</table>
<p>特此通知。</p>
</body></html>`;
    const doc = await readDoc(write('notice.html', html));
    expect(doc.format).toBe('html');
    expect(doc.title).toBe('关于优化帮办服务的通知 — 上海市');
    expect(doc.text.split('\n')).toEqual([
      '关于优化帮办服务的通知',
      '各区人民政府：',
      '现将有关事项通知如下：',
      '一、服务时间\u00a0工作日 9:00–17:00',
      '线上帮办',
      '线下帮办 <窗口>',
      '事项 | 时限',
      '企业开办 | 1个工作日',
      '特此通知。',
    ]);
  });

  it('uses the first <h1> as title when there is no <title>, and reads .htm', async () => {
    const doc = await readDoc(write('page.HTM', '<h1>办事<b>指南</b></h1><p>正文</p>'));
    expect(doc.title).toBe('办事指南');
    expect(doc.text).toBe('办事指南\n正文');
  });

  it('keeps nested tables inside their cell and closes rows whose </tr> is omitted', async () => {
    const html =
      '<table><tr><td>外层<table><tr><td>内1</td><td>内2</td></tr></table></td><td>右</td></tr>' +
      '<tr><td>下一行<td>第二格</table><p>表后</p>';
    const doc = await readDoc(write('nested.html', html));
    expect(doc.text.split('\n')).toEqual(['外层 内1 | 内2 | 右', '下一行 | 第二格', '表后']);
  });

  it('a <head> left open ends at the first body element or text, as in a browser', async () => {
    expect((await readDoc(write('open-head.html', '<html><head><meta charset=utf-8><p>正文</p>'))).text).toBe('正文');
    expect((await readDoc(write('open-head-text.html', '<html><head><meta charset=utf-8><title>标题</title>正文'))).text).toBe('正文');
    const doc = await readDoc(write('open-head-style.html', '<head><style>p{}</style><script>var a;</script><div>办事指南</div><p>正文</p>'));
    expect(doc.text).toBe('办事指南\n正文');
  });

  it('an unclosed <noscript>, <svg> or <template> does not hide the rest of the page; closed ones stay hidden', async () => {
    expect((await readDoc(write('noscript.html', '<p>前文</p><noscript>x<p>正文</p>'))).text).toBe('前文\nx\n正文');
    expect((await readDoc(write('svg.html', '<svg><p>a</p>'))).text).toBe('a');
    expect((await readDoc(write('template.html', '<template><p>模板</p><p>正文</p>'))).text).toBe('模板\n正文');
    expect((await readDoc(write('math.html', '<h1>标题</h1><math><p>正文</p>'))).text).toBe('标题\n正文');
    const closed = '<noscript>请启用脚本</noscript><svg><text>图</text></svg><template><p>模</p></template><p>正文</p>';
    expect((await readDoc(write('closed.html', closed))).text).toBe('正文');
  });

  it('refuses a page without text', async () => {
    const err = await ingestError(write('empty.html', '<html><body><img src="a.png"></body></html>'));
    expect(err.message).toContain('网页中没有可提取的文字');
  });
});

describe('docx', () => {
  it('reads the paragraphs of a Word document', async () => {
    const docx = await buildDocx([
      '上海市“一网通办”帮办服务规范',
      '第一条　为提升帮办服务质量，制定本规范。',
      '第二条　未能解答的咨询在5个工作日内补充至知识库。',
      [
        ['事项', '时限'],
        ['企业开办', '1个工作日'],
      ],
    ]);
    const doc = await readDoc(write('规范.docx', docx));
    expect(doc.format).toBe('docx');
    // table rows stay together as "a | b" lines, as for md and html
    expect(doc.text).toBe(
      '上海市“一网通办”帮办服务规范\n第一条　为提升帮办服务质量，制定本规范。\n第二条　未能解答的咨询在5个工作日内补充至知识库。\n' +
        '事项 | 时限\n企业开办 | 1个工作日',
    );
  });

  it('refuses a file that is not a zip', async () => {
    const err = await ingestError(write('fake.docx', '这不是 Word 文件'));
    expect(err.message).toContain('不是有效的 Word(.docx) 文件');
  });

  it('refuses a zip that is not a Word document', async () => {
    const JSZip = (await import('jszip')).default;
    const zip = await new JSZip().file('readme.txt', 'hello').generateAsync({ type: 'nodebuffer' });
    const err = await ingestError(write('other.docx', zip));
    expect(err.message).toContain('不是有效的 Word(.docx) 文件');
  });
});

describe('pdf', () => {
  it('extracts Chinese text through a ToUnicode CMap, pages joined by newlines', async () => {
    const pdf = buildPdf([
      ['帮办服务工作方案', '未能解答的咨询在5个工作日内补充至知识库'],
      ['第二页：热线12345'],
    ]);
    const doc = await readDoc(write('方案.pdf', pdf));
    expect(doc.format).toBe('pdf');
    expect(doc.text).toContain('未能解答的咨询在5个工作日内补充至知识库');
    expect(doc.text.split('\n')).toEqual(['帮办服务工作方案', '未能解答的咨询在5个工作日内补充至知识库', '第二页：热线12345']);
  });

  it('refuses a PDF without extractable text', async () => {
    const err = await ingestError(write('scan.pdf', buildPdf([[]])));
    expect(err.message).toContain('PDF 中没有可提取的文字（可能是扫描件');
  });

  it('refuses a file without the %PDF- header', async () => {
    const err = await ingestError(write('fake.pdf', '<html>not a pdf</html>'));
    expect(err.message).toContain('不是有效的 PDF 文件（文件头不是 %PDF-）');
  });

  it('refuses a truncated PDF', async () => {
    const err = await ingestError(write('broken.pdf', '%PDF-1.4\n1 0 obj\n<< /Type /Catalog'));
    expect(err.message).toContain('不是有效的 PDF 文件（文件可能已损坏');
  });
});

describe('csv', () => {
  it('parses quoted commas, newlines and "" escapes with English headers', async () => {
    const csv =
      'Question,Answer,similar_questions,keywords,category,effective_from,expires_at\r\n' +
      '"企业开办需要多久？","一般 1 个工作日,最长 3 个工作日。\n详见""办事指南""。","开办企业要几天|公司注册多久\n注册时间","开办，注册、时限",guide,2024/3/1,2025年12月31日\r\n' +
      ',,,,,,\r\n' +
      '如何预约帮办？,登录一网通办预约。,,,faq,2024-01-05,\r\n';
    const rows = await readQa(write('faq.csv', csv));
    expect(rows).toEqual([
      {
        rowNumber: 2,
        question: '企业开办需要多久？',
        answer: '一般 1 个工作日,最长 3 个工作日。\n详见"办事指南"。',
        similarQuestions: ['开办企业要几天', '公司注册多久', '注册时间'],
        keywords: ['开办', '注册', '时限'],
        category: 'guide',
        effectiveFrom: '2024-03-01',
        expiresAt: '2025-12-31',
      },
      {
        rowNumber: 4,
        question: '如何预约帮办？',
        answer: '登录一网通办预约。',
        similarQuestions: [],
        keywords: [],
        category: 'faq',
        effectiveFrom: '2024-01-05',
      },
    ]);
  });

  it('reads a GB18030 (GBK) csv with a BOM-less Chinese header', async () => {
    // 问题,答案\n问题,答案 — GBK bytes for 问题 = CE CA CC E2, 答案 = B4 F0 B0 B8
    const q = [0xce, 0xca, 0xcc, 0xe2];
    const a = [0xb4, 0xf0, 0xb0, 0xb8];
    const bytes = Uint8Array.from([...q, 0x2c, ...a, 0x0a, ...q, 0x31, 0x2c, ...a, 0x31, 0x0a]);
    expect(new TextDecoder('gb18030').decode(bytes)).toBe('问题,答案\n问题1,答案1\n');
    const rows = await readQa(write('gbk.csv', bytes));
    expect(rows).toEqual([{ rowNumber: 2, question: '问题1', answer: '答案1', similarQuestions: [], keywords: [] }]);
  });

  it('reads a UTF-8 csv with a BOM', async () => {
    const rows = await readQa(write('bom.csv', '\ufeff问题,答案,区域\n社保怎么查？,登录随申办查询。,普陀区\n'));
    expect(rows).toEqual([
      { rowNumber: 2, question: '社保怎么查？', answer: '登录随申办查询。', region: '普陀区', similarQuestions: [], keywords: [] },
    ]);
  });

  it('refuses a sheet without the answer column, naming it', async () => {
    const err = await ingestError(write('noanswer.csv', '问题,分类\n怎么办？,faq\n'));
    expect(err.message).toContain('表格缺少“答案”(answer) 列');
  });

  it('reads a row with a question but no answer (the import sends it to the gap queue)', async () => {
    const { rows, problems } = await readSheet(write('missing.csv', 'question,answer\nq1,a1\nq2,a2\nq3,a3\n只有问题？,\n'));
    expect(rows.at(-1)).toMatchObject({ rowNumber: 5, question: '只有问题？', answer: '' });
    expect(problems).toEqual([]);
  });

  it('reports an answer without a question, and a bad date, naming row and column; the other rows read on', async () => {
    const { rows, problems } = await readSheet(write('date.csv', '问题,答案,生效日期\n, 只有答案,\n问,答,2024-02-30\n好问题,好答案,2024-02-28\n'));
    expect(rows.map((r) => r.rowNumber)).toEqual([2, 3, 4]);
    expect(rows[2]).toMatchObject({ question: '好问题', effectiveFrom: '2024-02-28', cells: ['好问题', '好答案', '2024-02-28'] });
    expect(problems).toEqual([
      { rowNumber: 2, column: '问题', kind: 'blank_question', outcome: 'rejected', message: '问题为空' },
      { rowNumber: 3, column: '生效日期', kind: 'bad_date', outcome: 'rejected', message: expect.stringContaining('无法识别的日期“2024-02-30”') },
    ]);
  });

  it('decodes HTML entities and keeps line breaks inside cells; rows are records, not text lines', async () => {
    const csv = 'question,answer\n"什么是&lt;防洪法&gt;？","第一行\r\n第二行&nbsp;A&amp;B&times;2&#8220;引&#x201D;&unknown;"\n"下一题","答"\n';
    const rows = await readQa(write('entities.csv', csv));
    expect(rows).toEqual([
      { rowNumber: 2, question: '什么是<防洪法>？', answer: '第一行\n第二行 A&B×2“引”&unknown;', similarQuestions: [], keywords: [] },
      { rowNumber: 3, question: '下一题', answer: '答', similarQuestions: [], keywords: [] },
    ]);
  });

  it('keeps a bare & as written: URLs in cells are not read as entities (&region= is not ®ion=)', async () => {
    const url = 'https://zwdt.sh.gov.cn/item?id=1&region=2&not=3&para=4&times=5&copy=6';
    const csv = `question,answer\n怎么在线办理？,"登录 ${url} 办理 &amp; 查询"\n`;
    const rows = await readQa(write('urls.csv', csv));
    expect(rows[0].answer).toBe(`登录 ${url} 办理 & 查询`);
  });

  it('refuses a header without data rows', async () => {
    const err = await ingestError(write('header-only.csv', 'question,answer\n,\n'));
    expect(err.message).toContain('表格中没有问答数据');
  });

  it('refuses an unclosed quote', async () => {
    const err = await ingestError(write('quote.csv', 'question,answer\n"未闭合,答\n'));
    expect(err.message).toContain('引号没有闭合');
  });
});

describe('xlsx', () => {
  it('reads the first sheet: Chinese headers, dates, rich text, multi-line 相似问法', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('问答');
    ws.addRow([' 问题 ', '答案', '相似问法', '分类', '事项', '责任单位', '层级', '对象', '关键词', '生效日期', '失效日期', '备注']);
    ws.addRow([
      '居住证如何办理？',
      { richText: [{ text: '请携带', font: { bold: true } }, { text: '身份证到社区事务受理中心办理。' }] },
      '怎么办居住证\n居住证办理流程',
      '办事指南',
      '居住证办理',
      '市公安局',
      '市',
      '个人',
      '居住证；积分、落户',
      new Date(Date.UTC(2024, 2, 1)),
      '2026年1月1日',
      '内部备注',
    ]);
    ws.addRow([]);
    ws.addRow(['热线是多少？', { formula: '"12345"', result: '12345' }, null, null, null, null, null, null, null, 45292]);
    wb.addWorksheet('第二张表').addRow(['不应读取']);
    const file = path.join(dir, '问答.xlsx');
    await wb.xlsx.writeFile(file);

    const rows = await readQa(file);
    expect(rows).toEqual([
      {
        rowNumber: 2,
        question: '居住证如何办理？',
        answer: '请携带身份证到社区事务受理中心办理。',
        similarQuestions: ['怎么办居住证', '居住证办理流程'],
        category: '办事指南',
        serviceItem: '居住证办理',
        department: '市公安局',
        level: '市',
        audience: '个人',
        keywords: ['居住证', '积分', '落户'],
        effectiveFrom: '2024-03-01',
        expiresAt: '2026-01-01',
      },
      // 45292 is the Excel serial day number of 2024-01-01
      { rowNumber: 4, question: '热线是多少？', answer: '12345', similarQuestions: [], keywords: [], effectiveFrom: '2024-01-01' },
    ]);
  });

  it('reports an xlsx bad date for its row and column', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('问答');
    ws.addRow(['question', 'answer', 'expires_at']);
    ws.addRow(['问', '答', '明年']);
    const file = path.join(dir, 'baddate.xlsx');
    await wb.xlsx.writeFile(file);
    const { problems } = await readSheet(file);
    expect(problems).toEqual([{ rowNumber: 2, column: '失效日期', kind: 'bad_date', outcome: 'rejected', message: expect.stringContaining('无法识别的日期“明年”') }]);
  });

  it('refuses a file that is not an xlsx', async () => {
    const err = await ingestError(write('fake.xlsx', 'a,b,c'));
    expect(err.message).toContain('不是有效的 Excel(.xlsx) 文件');
  });
});

describe('general refusals', () => {
  it('refuses an empty file', async () => {
    for (const name of ['empty.txt', 'empty.pdf', 'empty.csv']) {
      const err = await ingestError(write(name, ''));
      expect(err.message).toBe(`${name}: 文件为空`);
      expect(err.file).toBe(name);
    }
  });

  it('refuses a whitespace-only txt', async () => {
    const err = await ingestError(write('blank.txt', ' \n\t\u3000\r\n'));
    expect(err.message).toContain('文件为空');
  });

  it('refuses binary garbage named .txt', async () => {
    const garbage = Buffer.alloc(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
    const err = await ingestError(write('garbage.txt', garbage));
    expect(err.message).toContain('看起来是二进制文件，不是文本');
    // no NUL bytes, but neither valid UTF-8 nor valid GB18030
    const high = Buffer.from(Array.from({ length: 512 }, (_, i) => 0x80 + (i % 128)));
    const err2 = await ingestError(write('garbage2.txt', high));
    expect(err2.message).toContain('看起来是二进制文件，不是文本');
  });

  it('refuses control-character noise without NUL bytes', async () => {
    const err = await ingestError(write('noise.txt', '\u0001\u0002\u0003\u0004正文\u0005\u0006\u0007\u0008'));
    expect(err.message).toContain('看起来是二进制文件，不是文本');
  });

  it('refuses an unsupported extension, listing the supported ones', async () => {
    const err = await ingestError(write('setup.exe', 'MZ'));
    expect(err.message).toBe('setup.exe: 不支持的文件类型 .exe（支持 .txt .md .html .htm .docx .pdf .csv .xlsx）');
    expect(SUPPORTED_EXTENSIONS).toEqual(['.txt', '.md', '.html', '.htm', '.docx', '.pdf', '.csv', '.xlsx']);
  });

  it('refuses a 50 MB file by its size, without reading it', async () => {
    const file = path.join(dir, 'huge.pdf');
    fs.writeFileSync(file, '%PDF-1.4\n');
    fs.truncateSync(file, 50 * 1024 * 1024); // sparse: no 50 MB actually written
    const err = await ingestError(file);
    expect(err.message).toBe('huge.pdf: 文件过大（50 MB，上限 20 MB）');
    expect(MAX_FILE_BYTES).toBe(20 * 1024 * 1024);
  });

  it('names only the basename, and reports a missing file', async () => {
    const err = await ingestError(path.join(dir, 'sub', '不存在.txt'));
    expect(err.file).toBe('不存在.txt');
    expect(err.message).toContain('文件不存在');
  });
});
