import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repairText } from '../ingest/repair.js';

/** The shared seed corpus: repo root → ../shared/seeds. */
const SEEDS = fileURLToPath(new URL('../../shared/seeds/', import.meta.url));
const seed = (prefix: string): string => {
  const name = readdirSync(SEEDS).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`seed ${prefix} not found in ${SEEDS}`);
  return readFileSync(SEEDS + name, 'utf8');
};
const PREFIXES = ['000', '001', '002', '003', '004'];
const repaired = Object.fromEntries(PREFIXES.map((p) => [p, repairText(seed(p))])) as Record<string, string>;
const linesOf = (p: string) => repaired[p].split('\n');

describe('repairText on the seed documents', () => {
  it.each(PREFIXES)('%s is idempotent and has one trimmed paragraph per line', (p) => {
    const r = repaired[p];
    expect(repairText(r)).toBe(r);
    expect(r).not.toMatch(/\n\n/);
    for (const line of r.split('\n')) {
      expect(line).toBe(line.trim());
      expect(line).not.toBe('');
    }
    // no full-width digits/letters/％ and no ideographic spaces left
    expect(r).not.toMatch(/[０-９Ａ-Ｚａ-ｚ％\u3000\u00a0]/u);
    // no ASCII , ; : ? ! next to Chinese
    expect(r).not.toMatch(/[\p{Script=Han}][,;:?!]|[,;:?!][\p{Script=Han}]/u);
    // no spaces next to Chinese (table separators excepted)
    for (const line of r.split('\n').filter((l) => !/ \|( |$)/u.test(l) && !/印发$/u.test(l))) {
      expect(line).not.toMatch(/[\p{Script=Han}，。：；、“”《》（）] | [\p{Script=Han}，。：；、“”《》（）]/u);
    }
  });

  it('000: joins lines broken mid-sentence across blank lines and page breaks', () => {
    const r = repaired['000'];
    expect(r).toContain('未能解答的咨询在5个工作日内，将答复口径补充至知识库');
    expect(r).toContain('已经2021年11月17日区政府第132次常务会议审议通过，现予印发。');
    expect(r).toContain('“线上人工帮办”覆盖本区承接的7个高频企业和个人事项。');
    expect(r).toContain('负责组织推进本区“一网通办”线上帮办的相应工作。'); // page-break line starting with a space
    expect(r).toContain('主要是12345市民服务热线电话和各单位咨询电话');
    expect(r).toContain('在PC端或移动端通过文字、语音、视频');
    expect(r).toContain('确保提供7*24小时在线智能咨询服务');
    expect(r).toContain('普府办〔2021〕39号');
  });

  it('000: headings, title and signature lines stay on their own lines', () => {
    const lines = linesOf('000');
    for (const h of ['一、总体要求', '（一）指导思想', '（三）体系架构', '1.线上帮办', '二、主要任务', '1.提升电话咨询质量', '5.建立知识库迭代更新机制', '三、组织保障']) {
      expect(lines).toContain(h);
    }
    expect(lines[0]).toBe('上海市普陀区人民政府办公室文件');
    expect(lines).toContain('上海市普陀区人民政府办公室关于印发《普陀区全面推行“一网通办”帮办制度的实施方案》的通知');
    expect(lines).toContain('普陀区全面推行“一网通办”帮办制度的实施方案');
    expect(lines).toContain('2021年11月23日');
    expect(lines).toContain('本实施方案自印发之日起施行。');
    expect(lines.at(-1)).toBe('上海市普陀区人民政府办公室 2021年11月23日印发');
    const para = lines.find((l) => l.startsWith('（1）电话咨询渠道。'));
    expect(para).toBe('（1）电话咨询渠道。主要是12345市民服务热线电话和各单位咨询电话，以电话沟通的方式提供咨询等帮办服务。');
  });

  it('000: responsibility notes stay with their paragraph', () => {
    const lines = linesOf('000');
    expect(lines.some((l) => l.startsWith('各有关单位）') || l.startsWith('（责任单位'))).toBe(false);
    expect(lines.find((l) => l.startsWith('（5）发现问题和及时整改。'))).toMatch(/原则上不超过3个月。（责任单位：各有关单位）$/u);
    expect(lines.find((l) => l.startsWith('各街镇要充分依托'))).toMatch(/（责任单位：各街镇、区府办）$/u);
  });

  it('001: keeps indented paragraphs, the 附件 list and decimals', () => {
    const lines = linesOf('001');
    expect(lines[0]).toBe('建立完善帮办制度提高“一网通办”便捷度的工作方案');
    expect(lines).toContain('（一）指导思想');
    expect(lines).toContain('附件：');
    expect(lines).toContain('1.首批“线上人工帮办”事项清单');
    expect(lines).toContain('2.上海市“一网通办”知识库运营规范（1.0版）');
    expect(repaired['001']).toContain('未能解答的咨询，应当在5个工作日内将答复口径补充到知识库。（各有关单位负责）');
  });

  it('002: the appendix table becomes one row per line, header first', () => {
    const lines = linesOf('002');
    const header = lines.indexOf('序号 | 局领导 | 帮办事项 | 责任处室');
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toBe('1 | 陈学军 | 企业及其分支机构营业的许可 | 登记注册处');
    expect(lines).toContain('13 | 陶爱莲 | 食品经营许可 | 食品经营安全监督管理处');
    expect(lines).toContain('4 | 朱明 | 特种设备生产单位许可 | 特种设备安全监察处');
    expect(lines).toContain('7 | 许瑾 | 食品生产许可证核发（特殊食品） | 特殊食品安全监督管理处');
    expect(lines[header + 14]).toBe('14 | 闻大翔 | 药品再注册 | 药品注册处');
    expect(lines[header - 1]).toBe('2022年度市局领导班子成员线下帮办项目清单');
    expect(lines[header - 2]).toBe('附件1');
    // the record form of 附件2 becomes rows too
    expect(lines).toContain('帮办领导 |  | 职务 |');
    expect(lines).toContain('发现问题及采取措施情况 |');
    expect(lines).toContain('上海市市场监督管理局推进实施“一网通办”帮办制度工作方案');
    expect(lines).toContain('附件：1.2022年度市局领导班子成员线下帮办项目清单');
    expect(lines).toContain('2.领导干部线下帮办工作记录表');
    expect(repaired['002']).toContain('问题解决率达到90%，无法解决问题转派‘12345’处理工单不超过10%');
  });

  it('003: rejoins paragraphs split by page-break blank lines', () => {
    const r = repaired['003'];
    expect(r).toContain('创新“远程虚拟窗口”服务模式，支持跨区域通办，打造更高水平的长三角一体化政务服务。');
    expect(r).toContain('10.创新“远程虚拟窗口”服务模式。做好市区两级“远程虚拟窗口”平台对接');
    expect(r).toContain('推进综合窗口充分授权。');
    expect(r).toContain('提供安全可靠的远程互动、引导式政务服务。');
    expect(r).toContain('（一）加强组织领导。区政务服务办要充分发挥统筹协调作用，细化任务分工');
    expect(r).toContain('《上海市优化政务服务提升行政效能深化“一网通办”改革行动方案（2024-2026年）》（沪府办发〔2024〕2号）');
    expect(linesOf('003')).toContain('2024年普陀区优化政务服务提升行政效能深化“一网通办”改革工作要点');
    expect(linesOf('003')).toContain('1.推行少填少交智能审，全面提升“首办成功率”。围绕“智慧好办”事项，着力提升普陀区“一网通办”智能化服务能力，持续简化、优化线上线下办事流程，实现线上线下申请材料结构化、业务流程标准化、审查规则指标化、数据比对自动化，为企业群众提供智能预填、智能预审、自动审批等智能服务，为工作人员提供受理和审批的智能辅助，全面提升“首办成功率”。全面深化“两个免于提交”，持续固化提升使用电子证照免交成效。');
  });

  it('004: full-width digits, ASCII punctuation and «» are normalised', () => {
    const r = repaired['004'];
    const lines = linesOf('004');
    expect(r).toContain('5个工作日内');
    expect(r).toContain('90%解决率');
    expect(r).toContain('“12345”热线');
    expect(lines[0]).toBe('上海市人民政府办公厅文件');
    expect(lines[1]).toBe('沪府办发〔2022〕21号');
    expect(lines[2]).toBe('上海市人民政府办公厅关于印发《进一步优化在线为企帮办服务工作方案》的通知');
    expect(lines).toContain('各区人民政府，市政府各委、办、局，各有关单位：');
    expect(lines).toContain('经市政府同意，现将《进一步优化在线为企帮办服务工作方案》印发给你们，请认真按照执行。');
    expect(lines).toContain('2022年11月19日');
    expect(lines).toContain('（一）指导思想');
    expect(lines).toContain('（三）强化数据赋能，创新为企服务模式，健全惠企政策精准直达机制');
    expect(lines).toContain('（四）健全知识库运营工作机制，提升线上帮办的智能化服务能级');
    expect(r).toContain('1.坚持需求导向。从企业实际需求出发');
    expect(r).toContain('相关单位工作日10:00前直接联系企业回复。');
    expect(r).toContain('接入“线上专业人工帮办”（详见附件）和“12345”热线三方通话。');
    expect(r).toContain('打造移动端“随申办”企业云APP。集成企业全生命周期服务');
    expect(r).toContain('（牵头单位：市政府办公厅、各区、各相关部门）');
    expect(lines).toContain('抄送：市委各部门，市人大常委会办公厅，市政协办公厅，市纪委监委，市高院，市检察院。');
    expect(lines.at(-1)).toBe('上海市人民政府办公厅 2022年11月22日印发');
    expect(r).not.toMatch(/[«»]/u);
  });
});

describe('repairText rules (synthetic)', () => {
  it('normalises line endings, NBSP/ideographic-space indentation and full-width alphanumerics', () => {
    expect(repairText('\u3000\u3000第一段内容。\r\n\u00a0第二段ＡＢＣ内容１２３。\r第三段。')).toBe('第一段内容。\n第二段ABC内容123。\n第三段。');
  });

  it('keeps Chinese full-width punctuation and ellipses', () => {
    expect(repairText('甲，乙：丙；丁（戊）？己！庚……')).toBe('甲，乙：丙；丁（戊）？己！庚……');
  });

  it('removes spaces around CJK but keeps spaces between Latin words', () => {
    expect(repairText('2021 年 11 月 17 日召开')).toBe('2021年11月17日召开');
    expect(repairText('本区承接的 7个高频事项。')).toBe('本区承接的7个高频事项。');
    expect(repairText('接入 Open Data 平台和 PC 端。')).toBe('接入Open Data平台和PC端。');
    expect(repairText('上 海 市 人 民 政 府 办 公 厅 文 件')).toBe('上海市人民政府办公厅文件');
  });

  it('normalises 文号 brackets and spaces', () => {
    expect(repairText('普府办〔2021〕39 号')).toBe('普府办〔2021〕39号');
    expect(repairText('沪府办发 〔２０２２〕２１号')).toBe('沪府办发〔2022〕21号');
    expect(repairText('沪府办发[2022]21号')).toBe('沪府办发〔2022〕21号');
    expect(repairText('沪府办发［2022］21号')).toBe('沪府办发〔2022〕21号');
    expect(repairText('根据沪府办发(2022)21号文件。')).toBe('根据沪府办发〔2022〕21号文件。');
  });

  it('converts ASCII punctuation inside Chinese text but not numbers, times, URLs or markers', () => {
    expect(repairText('各区人民政府,市政府各委、办、局:')).toBe('各区人民政府，市政府各委、办、局：');
    expect(repairText('请认真执行.下一句;再一句.')).toBe('请认真执行。下一句；再一句。');
    expect(repairText('(一)指导思想')).toBe('（一）指导思想');
    expect(repairText('(1)电话咨询渠道.主要是热线.')).toBe('（1）电话咨询渠道。主要是热线。');
    expect(repairText('１．坚持需求导向.从企业需求出发.')).toBe('1.坚持需求导向。从企业需求出发。');
    expect(repairText('2、建立机制。')).toBe('2.建立机制。');
    expect(repairText('提高1.5倍,工作日10:00前回复,详见https://www.gov.cn/a.html,确保7*24小时服务.')).toBe(
      '提高1.5倍，工作日10:00前回复，详见https://www.gov.cn/a.html，确保7*24小时服务。',
    );
    expect(repairText('«进一步优化工作方案»(试行)')).toBe('《进一步优化工作方案》（试行）');
    expect(repairText('解决率达到９０％.推进首批')).toBe('解决率达到90%。推进首批');
  });

  it('joins hard-wrapped (PDF) lines but keeps headings, dates and signatures apart', () => {
    const paragraphs = [
      '为全面提升本区“一网通办”便捷度，根据本市有关部署要求，结合本区实际情况和各部门、各街镇的工作基础，特制定本方案。',
      '以新时代中国特色社会主义思想为指导，全面贯彻落实党的十九大精神，进一步提升“一网通办”便捷度，打造营商环境金名片，推进各部门深入一线窗口。',
      '区府办是全区“一网通办”帮办工作的牵头部门，负责统筹协调、指导推进各部门、各街镇开展“一网通办”帮办工作和相关考核工作，并定期通报。',
      '（1）电话咨询渠道。主要是12345市民服务热线电话和各单位咨询电话，以电话沟通的方式提供咨询服务，以及其他有关帮办服务工作和知识库维护。',
      '（2）网上智能客服渠道。主要是依托区“政务智能办”业务知识库和市统一部署的“一网通办‘小申’”智能客服知识库，提供快速智能问答服务，并及时更新知识库内容。',
      '（3）线上人工专业帮办。主要是“老法师”在线客服区的线上人工帮办和市统一部署的线上人工专业帮办，在PC端或移动端通过文字、语音、视频等提供在线交互帮办服务。',
    ];
    // wrap every paragraph at 28 characters, blank line after each physical line, like 000
    const wrap = (p: string) => p.match(/.{1,28}/gu)!.join('\n\n');
    const raw = [
      wrap(paragraphs[0]),
      '一、总体要求',
      '（一）指导思想',
      wrap(paragraphs[1]),
      '（二）工作职责',
      ' ' + wrap(paragraphs[2]), // page-break line starting with a space
      '1.线上帮办',
      wrap(paragraphs[3]).replace('12345', ' 12345 '),
      wrap(paragraphs[4]),
      wrap(paragraphs[5]),
      '上海市普陀区人民政府办公室',
      '2021 年 11 月 23 日',
    ].join('\n\n');
    expect(repairText(raw).split('\n')).toEqual([
      paragraphs[0],
      '一、总体要求',
      '（一）指导思想',
      paragraphs[1],
      '（二）工作职责',
      paragraphs[2],
      '1.线上帮办',
      paragraphs[3],
      paragraphs[4],
      paragraphs[5],
      '上海市普陀区人民政府办公室',
      '2021年11月23日',
    ]);
  });

  it('joins a sentence split by a blank line in an otherwise unwrapped text', () => {
    expect(repairText('第一句。第二句尚未结束，\n\n接着写完。\n\n二、下一节')).toBe('第一句。第二句尚未结束，接着写完。\n二、下一节');
    expect(repairText('做好两级“远程\n\n虚拟窗口”对接。')).toBe('做好两级“远程虚拟窗口”对接。');
  });

  it('reassembles a title split over several lines in the header', () => {
    const raw = '上海市某某局文件\n\n沪某〔2022〕1号\n\n上海市某某局关于印发\n\n《某某工作\n\n方案》的通知\n\n各处室：\n\n现印发给你们。';
    expect(repairText(raw).split('\n')).toEqual([
      '上海市某某局文件',
      '沪某〔2022〕1号',
      '上海市某某局关于印发《某某工作方案》的通知',
      '各处室：',
      '现印发给你们。',
    ]);
  });

  it('turns tab-indented single-cell lines into table rows and keeps " | " rows', () => {
    const raw = '附件1\n\n事项清单\n\n\t序号\n\t姓名\n\t事项\n\n\t1\n\t朱  明\n\t食品经营许可\n\n\t2\n\t许 瑾\n\t药品再注册\n\n\n上海市某局办公室 2022年1月10日印发';
    expect(repairText(raw).split('\n')).toEqual([
      '附件1',
      '事项清单',
      '序号 | 姓名 | 事项',
      '1 | 朱明 | 食品经营许可',
      '2 | 许瑾 | 药品再注册',
      '上海市某局办公室 2022年1月10日印发',
    ]);
    expect(repairText('名称 | 电话\n区行政服务中心 | 12345')).toBe('名称 | 电话\n区行政服务中心 | 12345');
  });

  it('drops PDF page numbers, converts ASCII quotes around Chinese and keeps list bullets', () => {
    expect(repairText('根据本市有关部署要求，\n\n— 3 —\n\n结合本区实际，特制定本方案。\n-4-\n第 5 页 共 9 页')).toBe('根据本市有关部署要求，结合本区实际，特制定本方案。');
    expect(repairText('在"一网通办"平台办理,见"FAQ"栏目.')).toBe('在“一网通办”平台办理，见"FAQ"栏目。');
    expect(repairText('- 线上帮办\n- 线下帮办')).toBe('- 线上帮办\n- 线下帮办');
  });

  it('is idempotent on synthetic input', () => {
    for (const s of ['a\tb', '- 条目一\n* 条目二', '"甲"和"乙', '  （一）  指导思想  ', '附件：\n1.清单\n2.规范（1.0版）', '抄送:市委各部门,市人大常委会\n\n办公厅.', 'x |  | y |']) {
      const once = repairText(s);
      expect(repairText(once)).toBe(once);
    }
  });
});
