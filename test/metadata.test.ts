import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractMetadata, normaliseDocNumber, parseChineseDate } from '../ingest/metadata.js';
import { repairText } from '../ingest/repair.js';

/** The shared seed corpus: repo root → ../shared/seeds. */
const SEEDS = fileURLToPath(new URL('../../shared/seeds/', import.meta.url));
const seedName = (prefix: string): string => {
  const name = readdirSync(SEEDS).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`seed ${prefix} not found in ${SEEDS}`);
  return name;
};
const metaOf = (prefix: string, hint?: string) => {
  const name = seedName(prefix);
  return extractMetadata(repairText(readFileSync(SEEDS + name, 'utf8')), name, hint);
};

describe('extractMetadata on the seed documents', () => {
  it('000: 普陀区 plan issued by the district office', () => {
    const m = metaOf('000');
    expect(m).toMatchObject({
      title: '普陀区全面推行“一网通办”帮办制度的实施方案',
      docNumber: '普府办〔2021〕39号',
      issuer: '上海市普陀区人民政府办公室',
      issueDate: '2021-11-23', // the signing date, not the meeting date 2021-11-17
      effectiveDate: '2021-11-23', // 自印发之日起施行
      expiryDate: null,
      level: 'district',
      region: '普陀区',
    });
    expect(m.citations).toEqual([
      { title: '建立完善帮办制度提高“一网通办”便捷度的工作方案', docNumber: null },
      { title: '“一网通办”政务服务中心建设和运行规范', docNumber: null },
    ]);
  });

  it('001: no 文号, issuer or dates stated', () => {
    const m = metaOf('001');
    expect(m).toMatchObject({
      title: '建立完善帮办制度提高“一网通办”便捷度的工作方案',
      docNumber: null,
      issuer: null,
      issueDate: null,
      effectiveDate: null, // 自印发之日起实施, but no date in the text
      expiryDate: null,
      level: 'city',
      region: '上海市',
    });
    expect(m.citations.map((c) => c.title)).toEqual([
      '关于深化“一网通办”改革构建全方位服务体系的工作方案',
      '上海市“一网通办”知识库运营规范',
      '“一网通办”政务服务中心建设和运行规范',
    ]);
  });

  it('002: 市场监管局 plan citing 沪府办发〔2021〕26号', () => {
    const m = metaOf('002');
    expect(m).toMatchObject({
      title: '上海市市场监督管理局推进实施“一网通办”帮办制度工作方案',
      docNumber: '沪市监法规〔2022〕8号',
      issuer: '上海市市场监督管理局',
      issueDate: '2022-01-06', // not the 印发 date 2022-01-10
      effectiveDate: null,
      expiryDate: null,
      level: 'city',
      region: '上海市',
    });
    expect(m.citations[0]).toEqual({ title: '本市建立完善帮办制度提高“一网通办”便捷度的工作方案', docNumber: '沪府办发〔2021〕26号' });
    expect(m.citations.map((c) => c.title)).toContain('领导干部线下帮办工作记录表');
    expect(m.citations.map((c) => c.title)).not.toContain(m.title);
    expect(new Set(m.citations.map((c) => c.title)).size).toBe(m.citations.length);
  });

  it('003: 普陀区 work points with three cited 文号', () => {
    const m = metaOf('003');
    expect(m).toMatchObject({
      title: '2024年普陀区优化政务服务提升行政效能深化“一网通办”改革工作要点',
      docNumber: '普府办〔2024〕10号',
      issuer: '上海市普陀区人民政府办公室',
      issueDate: '2024-04-19', // not the meeting date 2024-03-29
      effectiveDate: null,
      level: 'district',
      region: '普陀区',
    });
    expect(m.citations).toEqual([
      { title: '国务院关于进一步优化政务服务提升行政效能推动“高效办成一件事”的指导意见', docNumber: '国发〔2024〕3号' },
      { title: '上海市优化政务服务提升行政效能深化“一网通办”改革行动方案（2024-2026年）', docNumber: '沪府办发〔2024〕2号' },
      {
        title: '上海市人民政府办公厅关于印发2024年上海市优化政务服务提升行政效能深化“一网通办”改革工作任务分工的通知',
        docNumber: '沪府办字〔2024〕3号',
      },
      { title: '政务服务人员能力评价规范', docNumber: null },
    ]);
  });

  it('004: 市政府办公厅 plan with full-width digits and «»', () => {
    const m = metaOf('004');
    expect(m).toMatchObject({
      title: '进一步优化在线为企帮办服务工作方案',
      docNumber: '沪府办发〔2022〕21号',
      issuer: '上海市人民政府办公厅',
      issueDate: '2022-11-19', // not the 印发 date 2022-11-22
      effectiveDate: null,
      expiryDate: null,
      citations: [],
      level: 'city',
      region: '上海市',
    });
  });

  it('prefers the text over a format title hint when the text has a 关于印发 wrapper', () => {
    expect(metaOf('000', '普陀区人民政府办公室文件').title).toBe('普陀区全面推行“一网通办”帮办制度的实施方案');
  });
});

describe('extractMetadata rules (synthetic)', () => {
  it('uses the hint title, explicit effective dates and 有效期至', () => {
    const text = ['关于做好帮办工作的若干措施', '一、总体要求', '本措施自2023年1月1日起施行，有效期至2027年12月31日。'].join('\n');
    const m = extractMetadata(text, 'x.html', '浦东新区帮办工作若干措施_浦东新区人民政府');
    expect(m.title).toBe('浦东新区帮办工作若干措施');
    expect(m.effectiveDate).toBe('2023-01-01');
    expect(m.expiryDate).toBe('2027-12-31');
    expect(m.issuer).toBeNull();
    expect(m).toMatchObject({ level: 'district', region: '浦东新区' }); // from the title when the issuer is null
  });

  it('computes 有效期N年 from the effective date', () => {
    const text = ['上海市某某局文件', '沪某规〔2022〕3号', '上海市某某局关于印发《某某办法》的通知', '各处室：', '现予印发。', '上海市某某局', '2022年3月1日', '某某办法', '本办法自2022年4月1日起施行，有效期5年。'].join('\n');
    const m = extractMetadata(text, 'a.txt');
    expect(m).toMatchObject({ title: '某某办法', docNumber: '沪某规〔2022〕3号', issuer: '上海市某某局', issueDate: '2022-03-01', effectiveDate: '2022-04-01', expiryDate: '2027-03-31' });
  });

  it('does not take a cited 文号 for the document its own, and takes the issuer from the signature', () => {
    const text = ['关于进一步做好帮办工作的通知', '各区：', '根据《某某方案》（沪府办发〔2021〕26号），现通知如下。', '一、要求', '自印发之日起实施。', '上海市嘉定区人民政府办公室', '二〇二三年五月十二日'].join('\n');
    const m = extractMetadata(text, 'b.txt');
    expect(m.docNumber).toBeNull();
    expect(m.title).toBe('关于进一步做好帮办工作的通知');
    expect(m.issuer).toBe('上海市嘉定区人民政府办公室');
    expect(m.issueDate).toBe('2023-05-12');
    expect(m.effectiveDate).toBe('2023-05-12');
    expect(m).toMatchObject({ level: 'district', region: '嘉定区' });
    expect(m.citations).toEqual([{ title: '某某方案', docNumber: '沪府办发〔2021〕26号' }]);
  });

  it('reassembles a wrapper title spread over several lines of unrepaired text', () => {
    const text = ['上海市某某局关于印发', '《上海市某某局推进实施', '“一网通办”帮办制度工作方案》的通知', '各处室：'].join('\n');
    expect(extractMetadata(text, 'c.txt').title).toBe('上海市某某局推进实施“一网通办”帮办制度工作方案');
  });

  it('falls back to the file name', () => {
    expect(extractMetadata('', 'policy-2024.txt').title).toBe('policy-2024');
  });
});

describe('normaliseDocNumber', () => {
  it.each([
    ['普府办〔2021〕39 号', '普府办〔2021〕39号'],
    ['沪府办发 〔２０２２〕２１号', '沪府办发〔2022〕21号'],
    ['沪府办发[2022]21号', '沪府办发〔2022〕21号'],
    ['沪府办发［2022］21号', '沪府办发〔2022〕21号'],
    ['沪府办发(2022)21号', '沪府办发〔2022〕21号'],
    ['沪府办发（2022）21号', '沪府办发〔2022〕21号'],
    ['（沪府办发〔2021〕26号）', '沪府办发〔2021〕26号'],
    ['沪市监法规〔2022〕8号', '沪市监法规〔2022〕8号'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseDocNumber(input)).toBe(expected);
  });
});

describe('parseChineseDate', () => {
  it.each([
    ['2021年11月23日', '2021-11-23'],
    ['2021 年 11 月 23 日', '2021-11-23'],
    ['２０２２年１１月１９日', '2022-11-19'],
    ['二〇二一年十一月二十三日', '2021-11-23'],
    ['二〇二四年四月九日', '2024-04-09'],
    ['2022-1-6', '2022-01-06'],
    ['2022.01.06', '2022-01-06'],
    ['上海市人民政府办公厅 2022年11月22日印发', '2022-11-22'],
  ])('%s → %s', (input, expected) => {
    expect(parseChineseDate(input)).toBe(expected);
  });

  it.each(['2021年13月1日', '2021年2月30日', '无日期', '12345', ''])('%s → null', (input) => {
    expect(parseChineseDate(input)).toBeNull();
  });
});
