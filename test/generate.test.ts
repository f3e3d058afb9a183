import { describe, it, expect, beforeAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repairText } from '../ingest/repair.js';
import { parseOutline } from '../ingest/outline.js';
import { extractMetadata } from '../ingest/metadata.js';
import { generateEntries, summariseDocument, questionSimilarity, NEAR_DUPLICATE } from '../ingest/generate.js';
import type { CategoryCode, GeneratedEntry, ParsedDocument, Section } from '../ingest/types.js';
import { clauseHeadingQuestions, headingQuestions } from '../ingest/generate/questions.js';
import type { DocContext } from '../ingest/generate/document.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(REPO_ROOT, '../shared');
const SEEDS = path.join(SHARED, 'seeds');
const CATEGORIES: CategoryCode[] = ['guide', 'faq', 'glossary', 'policy', 'notice', 'hotline', 'department'];
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
const text = (e: GeneratedEntry) => norm(e.question + e.answer);

function parseSeed(prefix: string): ParsedDocument {
  const fileName = fs.readdirSync(SEEDS).find((f) => f.startsWith(prefix))!;
  const raw = fs.readFileSync(path.join(SEEDS, fileName), 'utf8');
  const repaired = repairText(raw);
  return { fileName, format: 'txt', text: repaired, metadata: extractMetadata(repaired, fileName), outline: parseOutline(repaired) };
}

function paths(outline: Section[]): Set<string> {
  const out = new Set<string>();
  const walk = (s: Section) => {
    out.add(s.path);
    s.children.forEach(walk);
  };
  outline.forEach(walk);
  return out;
}

/** Entries whose question + answer contain every string. */
function having(entries: GeneratedEntry[], ...strings: string[]): GeneratedEntry[] {
  return entries.filter((e) => strings.every((s) => text(e).includes(norm(s))));
}

const SEED_PREFIXES = ['000', '001', '002', '003', '004'];

describe('generateEntries on the five seed documents', () => {
  const docs: Record<string, ParsedDocument> = {};
  const entries: Record<string, GeneratedEntry[]> = {};

  beforeAll(() => {
    for (const p of SEED_PREFIXES) {
      docs[p] = parseSeed(p);
      entries[p] = generateEntries(docs[p]);
    }
  });

  it.each(SEED_PREFIXES)('%s: every entry is well formed', (p) => {
    const es = entries[p];
    expect(es.length).toBeGreaterThanOrEqual(30);
    expect(es.length).toBeLessThanOrEqual(120);
    const known = paths(docs[p].outline);
    for (const e of es) {
      expect(CATEGORIES, e.key).toContain(e.category);
      expect(e.category, e.key).not.toBe('notice');
      expect(e.question.trim().length, e.key).toBeGreaterThan(3);
      expect(e.answer.trim().length, e.key).toBeGreaterThan(10);
      expect(e.similarQuestions.length, `${e.key} ${e.similarQuestions.join('|')}`).toBeGreaterThanOrEqual(2);
      expect(e.similarQuestions.length, e.key).toBeLessThanOrEqual(5);
      for (const s of e.similarQuestions) expect(norm(s), e.key).not.toBe(norm(e.question));
      expect(new Set(e.similarQuestions.map(norm)).size, e.key).toBe(e.similarQuestions.length);
      expect(e.keywords.length, `${e.key} ${e.keywords.join(',')}`).toBeGreaterThanOrEqual(3);
      expect(e.keywords.length, e.key).toBeLessThanOrEqual(8);
      expect(['enterprise', 'individual', 'all'], e.key).toContain(e.audience);
      expect(known.has(e.sourceSection), `${e.key} → ${e.sourceSection}`).toBe(true);
    }
  });

  it.each(SEED_PREFIXES)('%s: keys are unique and the output is stable across runs', (p) => {
    const es = entries[p];
    expect(new Set(es.map((e) => e.key)).size).toBe(es.length);
    const again = generateEntries(parseSeed(p));
    expect(again).toEqual(es);
    expect(es.filter((e) => e.key === 'doc')).toHaveLength(1);
    for (const e of es) expect(e.key).toMatch(/^(?:doc|s:.+|f:.+:(?:time|freq|target|count|deadline|duty|role|transform|list|topic):\d+|l:.+:\d+|i:.+:\d+\.\d+|d:.+|g:.+|t:.+:(?:row:\d+|all|form))$/);
  });

  it.each(SEED_PREFIXES)('%s: no near-duplicate questions and no identical answers', (p) => {
    const es = entries[p];
    for (let i = 0; i < es.length; i++) {
      for (let j = i + 1; j < es.length; j++) {
        const a = es[i];
        const b = es[j];
        expect(a.answer === b.answer, `${a.key} / ${b.key}`).toBe(false);
        // table rows about different service items may share a template ("…（特殊食品）" / "…（特殊食品除外）")
        if (a.serviceItem && b.serviceItem && a.serviceItem !== b.serviceItem) continue;
        expect(questionSimilarity(a.question, b.question), `${a.question} / ${b.question}`).toBeLessThan(NEAR_DUPLICATE);
      }
    }
  });

  it('000: one 政策文件 entry with 文号, issuer, dates and level-1 headings', () => {
    const doc = entries['000'].find((e) => e.key === 'doc')!;
    expect(doc.category).toBe('policy');
    expect(doc.sourceSection).toBe('');
    expect(doc.question).toContain('普陀区全面推行“一网通办”帮办制度的实施方案');
    for (const s of ['普府办〔2021〕39号', '上海市普陀区人民政府办公室', '2021年11月23日', '自印发之日起施行', '一、总体要求', '二、主要任务', '三、组织保障', '特制定本方案']) {
      expect(doc.answer).toContain(s);
    }
    expect(doc.similarQuestions.some((q) => q.includes('普府办〔2021〕39号'))).toBe(true);
    expect(summariseDocument(docs['000'])).toBe(doc.answer);
  });

  it('000: the KB update rules of 二、（一）5 are precise Q&A with the responsible units', () => {
    const es = entries['000'];
    const five = having(es, '未能解答', '5个工作日').find((e) => e.key.startsWith('f:'))!;
    expect(five).toBeDefined();
    expect(five.category).toBe('faq');
    expect(five.sourceSection).toBe('二、（一）5');
    expect(five.question).toMatch(/未能解答的咨询.*(多长时间|多久)/);
    expect(five.answer).toContain('区行政服务中心');
    expect(five.department).toBe('区行政服务中心、各有关单位');
    const oneDay = having(es, '1个工作日', '知识库').find((e) => e.key.startsWith('f:二、（一）5:time'))!;
    expect(oneDay.question).toMatch(/前多久/);
    const halfYear = having(es, '每半年', '知识库').find((e) => e.key.startsWith('f:'))!;
    expect(halfYear.question).toContain('多久');
    expect(halfYear.answer).toContain('区行政服务中心每半年');
    // the section entry summarises the whole section; the facts quote one clause each
    const section = es.find((e) => e.key === 's:二、（一）5')!;
    expect(section.question).toBe('知识库迭代更新机制是怎样的？');
    expect(section.similarQuestions).toContain('如何建立知识库迭代更新机制？');
    for (const s of ['1个工作日', '5个工作日', '每半年']) expect(section.answer).toContain(s);
    expect(five.answer).not.toContain('每半年');
    const dept = es.find((e) => e.key === 'd:二、（一）5')!;
    expect(dept.category).toBe('department');
    expect(dept.answer).toContain('区行政服务中心、各有关单位');
  });

  it('000: frequencies, limits, counts, definitions and lists', () => {
    const es = entries['000'];
    const freq = es.filter((e) => e.key.startsWith('f:二、（二）1（1）:freq'));
    expect(freq).toHaveLength(3);
    expect(freq.map((e) => e.question).join()).toMatch(/区长、副区长.*多久/);
    expect(having(es, '各单位主要领导', '每半年').some((e) => /多久|多长时间/.test(e.question))).toBe(true);
    expect(having(es, '每季度', '分管').length).toBeGreaterThan(0);
    const week = having(es, '即知即改', '1个星期').find((e) => e.key.startsWith('f:'))!;
    expect(week.question).toMatch(/多长时间|多久/);
    expect(having(es, '不能立即整改', '3个月').some((e) => e.key.startsWith('f:'))).toBe(true);
    const seven = having(es, '7个高频企业和个人事项').find((e) => e.key.startsWith('f:'))!;
    expect(seven.question).toMatch(/多少个|几个/);
    expect(seven.category).toBe('faq');
    const gloss = es.find((e) => e.key === 'g:两张清单')!;
    expect(gloss.category).toBe('glossary');
    expect(gloss.answer).toContain('问题清单和整改清单');
    const forms = es.find((e) => e.question === '帮办有哪些形式？')!;
    for (const s of ['线上办', '线下办', '上门办']) expect(forms.answer).toContain(s);
    const platform = having(es, '叫号排队', '共享桌面').find((e) => e.key.startsWith('f:'))!;
    expect(platform.question).toContain('哪些功能');
    expect(platform.answer).toContain('区行政服务中心定制开发');
    const special = having(es, '残疾人', '上门').find((e) => e.key.startsWith('f:'))!;
    expect(special.question).toContain('残疾人');
    const lead = es.find((e) => e.key === 'f:一、（二）:role:1')!;
    expect(lead.question).toBe('全区“一网通办”帮办工作的牵头部门是谁？');
    expect(lead.department).toBe('区府办');
    expect(lead.category).toBe('department');
    const phone = es.find((e) => e.key === 's:二、（一）1')!;
    expect(phone.category).toBe('hotline');
    // a slogan section gets one entry and no facts
    expect(es.filter((e) => e.sourceSection === '一、（一）')).toHaveLength(1);
  });

  it('002: the appendix table gives one entry per 帮办事项 and one listing every leader', () => {
    const es = entries['002'];
    const food = es.find((e) => e.serviceItem === '食品经营许可')!;
    expect(food.category).toBe('department');
    expect(food.sourceSection).toBe('附件1');
    expect(food.department).toBe('食品经营安全监督管理处');
    expect(food.answer).toContain('陶爱莲');
    expect(food.answer).toContain('2022年度市局领导班子成员线下帮办项目清单');
    const meter = es.find((e) => e.serviceItem === '计量器具型式批准')!;
    expect(meter.question).toBe('计量器具型式批准由哪位局领导帮办、哪个处室负责？');
    expect(meter.answer).toContain('计量器具型式批准由局领导徐徕帮办，责任处室为计量处');
    const licence = es.filter((e) => e.serviceItem === '企业及其分支机构营业的许可');
    expect(licence).toHaveLength(1);
    for (const name of ['陈学军', '彭文皓', '陈彦峰']) expect(licence[0].answer).toContain(name);
    expect(licence[0].audience).toBe('enterprise');
    expect(es.filter((e) => e.key.startsWith('t:附件1:row:'))).toHaveLength(10); // 14 rows, 10 distinct 事项
    const all = es.find((e) => e.key === 't:附件1:all')!;
    expect(all.question).toContain('有哪些局领导');
    for (const name of ['陈学军', '倪俊南', '刘晓明', '朱明', '许瑾', '徐徕', '陶永华', '周群', '李孝猛', '胡浩', '陶爱莲', '闻大翔']) {
      expect(all.answer).toContain(name);
    }
    const form = es.find((e) => e.key === 't:附件2:form')!;
    expect(form.answer).toContain('发现问题及采取措施情况');
    const transform = es.find((e) => e.key.startsWith('f:三、（五）:transform'))!;
    expect(transform.answer).toContain('帮助办');
    expect(having(es, '至少应参加1次').some((e) => e.category === 'faq')).toBe(true);
    expect(having(es, '3个工作日内报送').length).toBeGreaterThan(0);
    expect(having(es, '13个工作日').some((e) => e.key.startsWith('f:'))).toBe(true);
  });

  it('001, 003, 004: targets, counts and enterprise audience', () => {
    const c = entries['001'];
    expect(having(c, '“小申”解决率', '50%').some((e) => e.category === 'faq' && /多少/.test(e.question))).toBe(true);
    expect(having(c, '派单率', '10%').some((e) => /派单率/.test(e.question))).toBe(true);
    expect(having(c, '7*24小时').some((e) => e.key.startsWith('f:'))).toBe(true);
    expect(c.find((e) => e.key === 'g:小申')?.answer).toContain('以下简称“小申”');
    const d = entries['003'];
    expect(having(d, '网办率总体达到85%').some((e) => e.similarQuestions.concat(e.question).some((q) => q.includes('网办率')))).toBe(true);
    expect(having(d, '新增5项、优化24项').some((e) => /多少项/.test(e.question))).toBe(true);
    const e4 = entries['004'];
    expect(e4.every((e) => e.audience === 'enterprise')).toBe(true);
    expect(having(e4, '第二优先级').length).toBeGreaterThan(0);
    expect(having(e4, '接通率', '90%').some((e) => e.category === 'hotline')).toBe(true);
    expect(e4.some((e) => e.key.startsWith('d:') && e.answer.includes('牵头单位'))).toBe(true);
  });
});

// ───────────────────────────── a small hand-built document ─────────────────────────────

function section(pathStr: string, marker: string, level: number, heading: string, paragraphs: string[], children: Section[] = [], tables: string[][][] = []): Section {
  return { path: pathStr, marker, level, heading, paragraphs, tables, children };
}

const SYNTHETIC: ParsedDocument = {
  fileName: 'synthetic.txt',
  format: 'txt',
  text: '',
  metadata: {
    title: '某区政务服务帮办工作办法',
    docNumber: '某府办〔2023〕5号',
    issuer: '某区人民政府办公室',
    issueDate: '2023-03-01',
    effectiveDate: '2023-03-01',
    expiryDate: null,
    citations: [],
    level: 'district',
    region: '某区',
  },
  outline: [
    section('', '', 0, '', ['为提升政务服务便捷度，结合本区实际，制定本办法。']),
    section('一、', '一、', 1, '工作要求', [], [
      section('一、（一）', '（一）', 2, '建立知识库更新机制', [
        '区政务服务中心应在5个工作日内将答复口径补充至知识库；各单位每季度至少开展一次自查。窗口办结率达到95%，投诉转办率不得高于2%。（责任单位：区政务服务中心、各街镇）',
      ]),
      section('一、（二）', '（二）', 2, '服务渠道', ['线上服务包括三个渠道：一是热线电话，拨打12345咨询；二是网上客服，提供智能问答；三是自助终端，就近办理。']),
      section('一、（三）', '（三）', 2, '职责分工', ['区数据局负责平台技术保障。区政务服务中心要配备专业人员，负责解答企业群众的业务咨询。']),
      section('一、（四）', '（四）', 2, '术语', ['窗口工作人员要形成“两个台账”，即咨询台账和整改台账。']),
      section('一、（五）', '（五）', 2, '平台功能', ['区政务服务中心要建设统一受理平台，提供预约、排队、评价和数据统计等功能。']),
    ]),
    section('附件1', '附件1', 1, '帮办事项清单', [], [], [
      [
        ['序号', '负责人', '帮办事项', '责任科室'],
        ['1', '张  三', '营业执照办理', '登记科'],
        ['2', '李四', '食品经营许可', '许可科'],
        ['3', '王五', '营业执照办理', '登记科'],
      ],
    ]),
  ],
};

describe('generateEntries fact extraction (synthetic document)', () => {
  const es = generateEntries(SYNTHETIC);
  const byKey = (k: string) => es.find((e) => e.key === k)!;

  it('extracts a time limit as its own Q&A naming the subject', () => {
    const e = byKey('f:一、（一）:time:1');
    expect(e.category).toBe('faq');
    expect(e.question).toMatch(/多长时间内|多久/);
    expect(e.similarQuestions.some((q) => q.includes('几个工作日'))).toBe(true);
    expect(e.answer).toContain('区政务服务中心应在5个工作日内将答复口径补充至知识库');
    expect(e.answer).not.toContain('每季度');
    expect(e.department).toBe('区政务服务中心、各街镇');
    expect(e.sourceSection).toBe('一、（一）');
    expect(e.keywords).toContain('5个工作日');
  });

  it('extracts a frequency with the carried-over subject, and targets', () => {
    const f = byKey('f:一、（一）:freq:1');
    expect(f.question).toBe('各单位多久开展一次自查？');
    expect(f.similarQuestions.some((q) => q.includes('几次'))).toBe(true);
    const t = byKey('f:一、（一）:target:1');
    expect(t.question).toContain('窗口办结率');
    expect(t.question).toMatch(/多少/);
    expect([t.question, ...t.similarQuestions].some((q) => q.includes('投诉转办率') && q.includes('不得高于多少'))).toBe(true);
    expect(t.answer).toContain('95%');
  });

  it('states the responsible units of a section', () => {
    const d = byKey('d:一、（一）');
    expect(d.category).toBe('department');
    expect(d.question).toBe('建立知识库更新机制由哪些单位负责？');
    expect(d.department).toBe('区政务服务中心、各街镇');
  });

  it('turns 一是…二是… into a list entry and its count into a question', () => {
    const l = es.find((e) => e.key.startsWith('l:一、（二）'))!;
    expect(l.question).toBe('线上服务包括哪些渠道？');
    expect(l.similarQuestions).toContain('线上服务包括几个渠道？');
    for (const s of ['热线电话', '网上客服', '自助终端']) expect(l.answer).toContain(s);
    expect(es.some((e) => e.key.startsWith('f:一、（二）:count'))).toBe(false); // the lead-in is answered by the list
  });

  it('extracts duties, definitions and enumerations', () => {
    const duty = es.find((e) => e.question === '谁负责平台技术保障？')!;
    expect(duty.category).toBe('department');
    expect(duty.department).toBe('区数据局');
    const help = es.find((e) => e.question.startsWith('谁负责解答企业群众的业务咨询'))!;
    expect(help.department).toBe('区政务服务中心');
    const g = byKey('g:两个台账');
    expect(g.category).toBe('glossary');
    expect(g.question).toBe('什么是“两个台账”？');
    expect(g.answer).toContain('咨询台账和整改台账');
    // a one-sentence section: the section entry carries the enumeration's question
    const list = es.find((e) => e.sourceSection === '一、（五）' && [e.question, ...e.similarQuestions].includes('统一受理平台提供哪些功能？'))!;
    expect(list.answer).toContain('提供预约、排队、评价和数据统计等功能');
    expect(es.filter((e) => e.sourceSection === '一、（五）')).toHaveLength(1);
  });

  it('makes one entry per table item listing all its people, and one for the whole table', () => {
    const licence = es.filter((e) => e.serviceItem === '营业执照办理');
    expect(licence).toHaveLength(1);
    expect(licence[0].key).toBe('t:附件1:row:1');
    expect(licence[0].answer).toContain('张三、王五');
    expect(licence[0].answer).toContain('责任科室为登记科');
    expect(licence[0].department).toBe('登记科');
    expect(byKey('t:附件1:row:2').question).toBe('食品经营许可由哪位负责人帮办、哪个科室负责？');
    const all = byKey('t:附件1:all');
    for (const n of ['张三', '李四', '王五']) expect(all.answer).toContain(n);
  });

  it('is deterministic and free of duplicates', () => {
    expect(generateEntries(SYNTHETIC)).toEqual(es);
    expect(new Set(es.map((e) => e.key)).size).toBe(es.length);
    expect(es[0].key).toBe('doc');
    expect(es[0].answer).toContain('某府办〔2023〕5号');
    expect(es[0].answer).toContain('2023年3月1日');
  });
});

describe('questions about a heading that opens with a verb or with its object', () => {
  const ctx = { title: '工作要点', label: '《工作要点》', topic: '工作', region: '', issuer: null, enterpriseDoc: false, ubiquitous: new Set<string>(), text: '' } as unknown as DocContext;
  it.each([
    ['继续推进“两个免于提交”', '如何继续推进“两个免于提交”？'],
    ['对150个高频事项的办事体验进行重点优化', '如何对150个高频事项的办事体验进行重点优化？'],
  ])('%s is asked as a task (%s), never as 什么是…', (heading, question) => {
    for (const qs of [headingQuestions(heading, null, ctx), clauseHeadingQuestions(heading, ctx)]) {
      expect(qs[0]).toBe(question);
      expect(qs.some((q) => q.startsWith('什么是'))).toBe(false);
    }
  });
});

describe('a 政策解读 or 起草说明 and its lists, asked as a citizen would', () => {
  const doc = (title: string, text: string): GeneratedEntry[] => {
    const outline = parseOutline(text);
    const metadata = { ...extractMetadata(text, 'x.txt'), title };
    return generateEntries({ fileName: 'x.txt', format: 'txt', text, metadata, outline });
  };

  it('names the explained plan once, and asks its sections as that plan’s', () => {
    const text = '一、目的及意义\n为持续推进“一网通办”改革，提升企业群众办事体验，制定本方案。\n二、制定依据\n根据市里的工作方案制定。\n';
    for (const title of ['关于《松江区帮办制度工作方案》的政策解读', '政策解读：《松江区帮办制度工作方案》']) {
      const es = doc(title, text);
      expect(es[0].question).toBe('《松江区帮办制度工作方案》的政策解读是什么文件？');
      expect(es.map((e) => e.question)).toContain('松江区帮办制度的目的及意义是什么？');
      expect(es.map((e) => e.question)).toContain('松江区帮办制度的制定依据是什么？');
      for (const e of es) expect(e.question + e.answer, e.question).not.toMatch(/《关于《|《政策解读|什么是目的及意义/);
    }
  });

  it('asks a list introduced by 以下 with 哪些', () => {
    const text = '一、总体考虑\n《工作要点》的起草主要基于以下考虑：一是落实市级要求，确保规定动作件件有着落；二是打造区级品牌，确保自选动作有特色；三是攻坚薄弱指标，确保短板问题有提升。\n';
    const list = doc('2025年某区政务服务工作要点', text).find((e) => e.key.startsWith('l:'))!;
    expect(list.question).toBe('《工作要点》的起草主要基于哪些考虑？');
  });
});

describe('a heading that names no thing is not asked "什么是…"', () => {
  const ctx = { title: '工作要点', label: '《工作要点》', topic: '工作', region: '', issuer: null, enterpriseDoc: false, ubiquitous: new Set<string>(), text: '' } as unknown as DocContext;
  it.each(['把线下综合服务能力打牢', '在区级惠企利民政策方面', '按照市里关于高频事项的部署', '智能预填比例不低于70%'])('%s', (heading) => {
    for (const qs of [headingQuestions(heading, null, ctx), clauseHeadingQuestions(heading, ctx)]) {
      expect(qs[0]).toBe(`${heading}是怎么规定的？`);
      expect(qs.some((q) => q.startsWith('什么是'))).toBe(false);
    }
  });
  it('still asks a term "什么是…"', () => {
    expect(headingQuestions('在线操作问题', null, ctx)[0]).toBe('什么是在线操作问题？');
  });
});

describe('a generated question says each thing once, and only what the text says', () => {
  const doc = (text: string): GeneratedEntry[] => {
    const outline = parseOutline(text);
    return generateEntries({ fileName: 'x.txt', format: 'txt', text, metadata: extractMetadata(text, 'x.txt'), outline });
  };
  const text = [
    '某区政务服务中心关于开展延时服务的公告',
    '一、哪些事项可以延时办理',
    '驻厅各部门的高频事项均可预约延时办理。',
    '二、落实要求',
    '各单位要把本公告的任务纳入年度工作安排，主要负责同志亲自过问；区政务服务部门负责跟踪目标完成情况。',
    '三、关于进一步提高思想认识，凝聚工作合力',
    '各部门要提高认识，形成合力，共同推进延时服务。',
    '四、预约时间',
    '法定节假日办事的预约，截止到放假前一天上午12:00。',
    '',
  ].join('\n');
  const es = doc(text);
  const asked = es.flatMap((e) => [e.question, ...e.similarQuestions]);

  it('a heading that asks is the question itself', () => {
    expect(es.map((e) => e.question)).toContain('哪些事项可以延时办理？');
  });
  it('no frame repeats a word of its phrase, and 负责同志 is a person, not a duty', () => {
    for (const q of asked) expect(q).not.toMatch(/关于关于|如何关于|要求有哪些要求|谁负责同志|同志亲自过问由/);
    expect(asked).toContain('谁负责跟踪目标完成情况？');
  });
  it('an item “责任单位：…” under a task is asked as who carries out the task', () => {
    const ctx = { title: '工作要点', label: '《工作要点》', topic: '工作', region: '', issuer: null, enterpriseDoc: false, ubiquitous: new Set<string>(), text: '' } as unknown as DocContext;
    const qs = headingQuestions('责任单位', '深化政策和服务“免申即享”', ctx);
    expect(qs[0]).toBe('深化政策和服务“免申即享”由哪些单位负责？');
    expect(qs.some((q) => q.startsWith('什么是'))).toBe(false);
  });
  it('a short item answers its parent: “到现场” under 怎样预约, “早晚弹性办” under 服务时间', () => {
    const ctx = { title: '公告', label: '《公告》', topic: '延时服务', region: '', issuer: null, enterpriseDoc: false, ubiquitous: new Set<string>(), text: '' } as unknown as DocContext;
    expect(headingQuestions('到现场', '怎样预约', ctx)[0]).toBe('到现场，怎样预约？');
    expect(headingQuestions('早晚弹性办', '服务时间', ctx)[0]).toBe('早晚弹性办的服务时间是什么？');
  });
  it('qualities of one thing (更高效、更便捷、更精准的政务服务) are not a list to ask 哪些 about', () => {
    const es = doc(['某区帮办工作方案', '一、任务目标', '推进领导干部深入窗口，实现更高效、更便捷、更精准的政务服务。', ''].join('\n'));
    for (const q of es.flatMap((e) => [e.question, ...e.similarQuestions])) expect(q).not.toMatch(/哪些政务服务|什么政务服务/);
  });
  it('a point in time (放假前一天上午12:00) is not asked as a span', () => {
    for (const q of asked) expect(q).not.toMatch(/多久上午|几天上午|多长时间上午/);
  });
  it('a web page’s publication record (索引号, 发布机构, 文号 …) is metadata, not entries', () => {
    const record = [
      ['索引号', '002030N1012025063027', '主题分类', '其他'],
      ['发布机构', '区政府办公室', '文号', '沪松府办〔2025〕26号'],
      ['成文日期', '2025-06-23', '发布日期', '2025-06-23'],
    ];
    const withRecord: ParsedDocument = { ...SYNTHETIC, outline: [section('', '', 0, '', ['为提升政务服务便捷度，制定本办法。'], [], [record]), ...SYNTHETIC.outline] };
    const keys = (d: ParsedDocument) => generateEntries(d).map((e) => e.key);
    expect(keys(withRecord)).toEqual(keys(SYNTHETIC));
    // the same labels as a header over a list of documents are content: that table still gives entries
    const list = [
      ['文件名称', '文号', '成文日期', '发布日期'],
      ['某区帮办工作办法', '某府办〔2023〕5号', '2023-03-01', '2023-03-05'],
      ['某区知识库管理规定', '某府办〔2023〕9号', '2023-06-01', '2023-06-03'],
    ];
    const withList: ParsedDocument = { ...SYNTHETIC, outline: [...SYNTHETIC.outline, section('附件2', '附件2', 1, '相关文件目录', [], [], [list])] };
    expect(keys(withList).some((k) => k.startsWith('t:附件2'))).toBe(true);
  });
});
