import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flattenOutline, parseOutline } from '../ingest/outline.js';
import { repairText } from '../ingest/repair.js';
import type { Section } from '../ingest/types.js';

/** The shared seed corpus: repo root → ../shared/seeds. */
const SEEDS = fileURLToPath(new URL('../../shared/seeds/', import.meta.url));
const seed = (prefix: string): string => {
  const name = readdirSync(SEEDS).find((f) => f.startsWith(prefix));
  if (!name) throw new Error(`seed ${prefix} not found in ${SEEDS}`);
  return readFileSync(SEEDS + name, 'utf8');
};
const outlineOf = (prefix: string) => parseOutline(repairText(seed(prefix)));
const byPath = (sections: Section[]) => new Map(flattenOutline(sections).map((s) => [s.path, s]));
const paths = (sections: Section[]) => flattenOutline(sections).map((s) => s.path);

describe('parseOutline on the seed documents', () => {
  it.each(['000', '001', '002', '003', '004'])('%s: preamble first, unique paths, consistent levels and markers', (p) => {
    const o = outlineOf(p);
    expect(o[0].path).toBe('');
    expect(o[0].level).toBe(0);
    const all = flattenOutline(o);
    expect(new Set(all.map((s) => s.path)).size).toBe(all.length);
    const walk = (s: Section, parentPath: string) => {
      expect(s.path).toBe(parentPath + s.marker);
      for (const c of s.children) {
        expect(c.level).toBeGreaterThan(s.marker.startsWith('附件') ? 0 : s.level);
        walk(c, s.path);
      }
    };
    o.slice(1).forEach((s) => walk(s, ''));
    for (const s of all) {
      expect(s.heading).not.toMatch(/。$/u);
      for (const para of s.paragraphs) expect(para).not.toContain(' | ');
    }
  });

  it('000: full outline', () => {
    const o = outlineOf('000');
    expect(paths(o)).toEqual([
      '',
      '一、', '一、（一）', '一、（二）', '一、（三）',
      '一、（三）1', '一、（三）1（1）', '一、（三）1（2）', '一、（三）1（3）',
      '一、（三）2', '一、（三）2（1）', '一、（三）2（2）', '一、（三）2（3）',
      '一、（四）', '一、（五）', '一、（五）1', '一、（五）2',
      '二、', '二、（一）', '二、（一）1', '二、（一）2', '二、（一）3', '二、（一）4', '二、（一）5', '二、（一）6',
      '二、（二）', '二、（二）1', '二、（二）1（1）', '二、（二）1（2）', '二、（二）1（3）', '二、（二）1（4）', '二、（二）1（5）',
      '二、（二）2', '二、（二）3',
      '三、', '三、（一）', '三、（二）', '三、（三）', '三、（四）', '三、（五）',
    ]);
    const m = byPath(o);
    expect(m.get('一、')!.heading).toBe('总体要求');
    expect(m.get('一、（一）')!.heading).toBe('指导思想');
    const s5 = m.get('二、（一）5')!;
    expect(s5.marker).toBe('5');
    expect(s5.level).toBe(3);
    expect(s5.heading).toBe('建立知识库迭代更新机制');
    expect(s5.paragraphs.join('')).toContain('未能解答的咨询在5个工作日内，将答复口径补充至知识库');
    const phone = m.get('一、（三）1（1）')!;
    expect(phone.marker).toBe('（1）');
    expect(phone.level).toBe(4);
    expect(phone.heading).toBe('电话咨询渠道');
    expect(phone.paragraphs[0]).toMatch(/^主要是12345市民服务热线电话/u);
    expect(m.get('二、（二）1')!.heading).toBe('建立领导干部帮办制度');
    expect(m.get('二、（二）1')!.children.map((c) => c.heading)).toEqual([
      '各级领导干部带头帮办',
      '分类分级开展帮办',
      '多种形式开展帮办',
      '聚焦重点开展帮办',
      '发现问题和及时整改',
    ]);
    expect(m.get('三、（五）')!.paragraphs.at(-1)).toBe('本实施方案自印发之日起施行。');
    // preamble: header, 文号, wrapper title, greeting … and the 印发 line at the end of the document
    const pre = o[0].paragraphs;
    expect(pre).toContain('普府办〔2021〕39号');
    expect(pre).toContain('普陀区全面推行“一网通办”帮办制度的实施方案');
    expect(pre.at(-1)).toBe('上海市普陀区人民政府办公室 2021年11月23日印发');
    expect(pre.some((p) => p.startsWith('为全面提升本区“一网通办”便捷度'))).toBe(true);
  });

  it('001: 二、（一）3 and the 附件 list stay in the last section', () => {
    const o = outlineOf('001');
    const m = byPath(o);
    expect(m.get('二、（一）3')!.heading).toBe('建立知识库迭代更新机制');
    expect(m.get('二、（一）3')!.paragraphs[0]).toMatch(/^建立新增、关联、共享和查遗补缺工作机制。/u);
    expect(m.get('二、（一）2')!.heading).toBe('建设“一网通办”知识库和部署“小申”');
    expect(m.get('二、（二）1（4）')!.heading).toBe('发现问题和及时整改');
    const last = m.get('三、（四）')!;
    expect(last.children).toEqual([]);
    expect(last.paragraphs).toEqual([
      '将帮办工作开展情况、服务成效和“一网通办”知识库建设等方面工作，纳入本市“一网通办”第三方评估和年度绩效考核范围。',
      '本方案自印发之日起实施。',
      '附件：',
      '1.首批“线上人工帮办”事项清单',
      '2.上海市“一网通办”知识库运营规范（1.0版）',
    ]);
    expect(paths(o).some((p) => p.startsWith('附件'))).toBe(false);
    expect(m.get('三、')!.paragraphs[0]).toMatch(/^“一网通办”帮办制度是深化/u);
  });

  it('002: headings before a colon, the 附件 list and the appendix tables', () => {
    const o = outlineOf('002');
    expect(paths(o)).toEqual([
      '',
      '一、',
      '二、', '二、（一）', '二、（二）',
      '三、', '三、（一）', '三、（一）1', '三、（一）2', '三、（一）3',
      '三、（二）', '三、（二）1', '三、（二）2',
      '三、（三）', '三、（四）', '三、（四）1', '三、（四）2', '三、（四）3', '三、（五）',
      '四、', '四、（一）', '四、（二）', '四、（三）',
      '附件1', '附件2',
    ]);
    const m = byPath(o);
    expect(m.get('三、（二）2')!.heading).toBe('执行知识库维护更新要求');
    expect(m.get('三、（二）2')!.paragraphs[0]).toMatch(/^有关业务部门制发与政务服务实施有关的新政策文件/u);
    expect(m.get('三、（一）3')!.heading).toBe('实施“好差评”评价');
    expect(m.get('四、（三）')!.paragraphs.slice(-2)).toEqual(['附件：1.2022年度市局领导班子成员线下帮办项目清单', '2.领导干部线下帮办工作记录表']);

    const a1 = m.get('附件1')!;
    expect(a1.level).toBe(1);
    expect(a1.marker).toBe('附件1');
    expect(a1.heading).toBe('2022年度市局领导班子成员线下帮办项目清单');
    expect(a1.tables).toHaveLength(1);
    const table = a1.tables[0];
    expect(table).toHaveLength(15);
    expect(table[0]).toEqual(['序号', '局领导', '帮办事项', '责任处室']);
    expect(table).toContainEqual(['13', '陶爱莲', '食品经营许可', '食品经营安全监督管理处']);
    expect(table).toContainEqual(['4', '朱明', '特种设备生产单位许可', '特种设备安全监察处']);
    expect(a1.paragraphs).toEqual([]);

    const a2 = m.get('附件2')!;
    expect(a2.heading).toBe('领导干部线下帮办工作记录表');
    expect(a2.tables[0][0]).toEqual(['帮办领导', '', '职务', '']);
    expect(o[0].paragraphs.at(-1)).toBe('上海市市场监督管理局办公室 2022年1月10日印发');
  });

  it('003: 1. items directly under （一） with continuous numbering', () => {
    const o = outlineOf('003');
    const m = byPath(o);
    expect(m.get('二、（一）')!.heading).toBe('改革引领、技术驱动，推进政务服务“智慧精准”');
    expect(m.get('二、（一）')!.children.map((c) => c.marker)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(m.get('二、（一）8')!.heading).toBe('夯实线上线下智能帮办体系，提供有求必应、答必解惑的服务体验');
    expect(m.get('二、（一）8')!.paragraphs[0]).toMatch(/^覆盖线上线下渠道/u);
    expect(m.get('二、（二）10')!.heading).toBe('创新“远程虚拟窗口”服务模式');
    expect(m.get('二、（二）10')!.paragraphs[0]).toMatch(/^做好市区两级“远程虚拟窗口”平台对接/u);
    expect(m.get('二、（四）27')!.heading).toBe('加强政务服务“一网通办”品牌运营');
    expect(m.get('三、（一）')!.heading).toBe('加强组织领导');
    expect(m.get('三、（一）')!.paragraphs[0]).toMatch(/^区政务服务办要充分发挥统筹协调作用/u);
    expect(flattenOutline(o).filter((s) => s.level === 3)).toHaveLength(27);
    expect(m.get('一、')!.paragraphs[0]).toContain('支持跨区域通办');
  });

  it('004: "(一)" style after repair, headings split at 。', () => {
    const o = outlineOf('004');
    const m = byPath(o);
    expect(m.get('二、（四）1')!.heading).toBe('健全知识库更新维护工作机制');
    expect(m.get('二、（四）1')!.paragraphs[0]).toContain('应当在5个工作日内将答复口径补充到知识库');
    expect(m.get('一、（二）')!.children.map((c) => c.heading)).toEqual(['坚持需求导向', '坚持专业高效', '坚持数据赋能']);
    expect(m.get('二、（三）')!.heading).toBe('强化数据赋能，创新为企服务模式，健全惠企政策精准直达机制');
    expect(m.get('二、（一）2')!.heading).toBe('打造移动端“随申办”企业云APP');
    expect(paths(o).filter((p) => /^二、（五）\d+$/u.test(p))).toEqual(['二、（五）1', '二、（五）2', '二、（五）3', '二、（五）4', '二、（五）5']);
    // a long first sentence is not a heading
    expect(m.get('二、（五）1')!.heading).toBe('');
    expect(m.get('二、（五）1')!.paragraphs[0]).toMatch(/^切实发挥中国政府网/u);
    expect(o[0].paragraphs).toContain('抄送：市委各部门，市人大常委会办公厅，市政协办公厅，市纪委监委，市高院，市检察院。');
  });
});

describe('parseOutline rules (synthetic)', () => {
  it('numbering restarts under a new parent', () => {
    const o = parseOutline(['一、甲', '（一）乙', '1.第一项', '2.第二项', '（二）丙', '1.另一项', '（1）细项。正文', '二、丁'].join('\n'));
    expect(paths(o)).toEqual(['', '一、', '一、（一）', '一、（一）1', '一、（一）2', '一、（二）', '一、（二）1', '一、（二）1（1）', '二、']);
    const m = byPath(o);
    expect(m.get('一、（二）1（1）')!.heading).toBe('细项');
    expect(m.get('一、（二）1（1）')!.paragraphs).toEqual(['正文']);
  });

  it('does not take dates, phone numbers, 7*24 or decimals for markers', () => {
    const text = ['一、总体要求', '2021年11月23日区政府审议通过。', '12345热线全天服务。', '7*24小时在线。', '1.5倍于去年。', '2022年底前完成。'].join('\n');
    const o = parseOutline(text);
    expect(paths(o)).toEqual(['', '一、']);
    expect(o[1].paragraphs).toHaveLength(5);
  });

  it('accepts unrepaired marker forms', () => {
    const o = parseOutline(['一．总体要求', '(一)指导思想', '1．第一项。内容', '(1)细项', '2、第二项'].join('\n'));
    expect(paths(o)).toEqual(['', '一、', '一、（一）', '一、（一）1', '一、（一）1（1）', '一、（一）2']);
  });

  it('keeps an attachment list in the section and makes appendix bodies level-1 sections', () => {
    const text = [
      '一、工作要求',
      '请按时报送。',
      '附件：',
      '1.事项清单',
      '2.记录表',
      '附件1',
      '事项清单',
      '序号 | 事项',
      '1 | 食品经营许可',
      '说明文字。',
      '附件2：记录表',
      '姓名 | 电话',
    ].join('\n');
    const o = parseOutline(text);
    expect(paths(o)).toEqual(['', '一、', '附件1', '附件2']);
    const m = byPath(o);
    expect(m.get('一、')!.paragraphs).toEqual(['请按时报送。', '附件：', '1.事项清单', '2.记录表']);
    expect(m.get('附件1')!.heading).toBe('事项清单');
    expect(m.get('附件1')!.tables).toEqual([[['序号', '事项'], ['1', '食品经营许可']]]);
    expect(m.get('附件1')!.paragraphs).toEqual(['说明文字。']);
    expect(m.get('附件2')!.heading).toBe('记录表');
    expect(m.get('附件2')!.tables).toEqual([[['姓名', '电话']]]);
  });

  it('treats consecutive "附件N：标题" lines as a list, and markers inside an appendix nest under it', () => {
    const o = parseOutline(['一、要求', '附件1：清单', '附件2：记录表', '附件1', '一、说明', '1.细则'].join('\n'));
    expect(paths(o)).toEqual(['', '一、', '附件1', '附件1一、', '附件1一、1']);
    expect(byPath(o).get('一、')!.paragraphs).toEqual(['附件1：清单', '附件2：记录表']);
  });

  it('splits tables from paragraphs and keeps the preamble', () => {
    const o = parseOutline(['某某方案', '为做好工作，制定本方案。', '一、联系方式', '以下为联系电话：', '单位 | 电话', '区府办 | 12345', '其他事项另行通知。'].join('\n'));
    expect(o[0].paragraphs).toEqual(['某某方案', '为做好工作，制定本方案。']);
    expect(o[1].paragraphs).toEqual(['以下为联系电话：', '其他事项另行通知。']);
    expect(o[1].tables).toEqual([[['单位', '电话'], ['区府办', '12345']]]);
  });

  it('gives a paragraph after a run of one-line items to their parent, not to the last item', () => {
    const o = parseOutline(
      ['二、怎样预约', '可通过以下三种方式预约：', '（一）到现场：一楼21号预约窗口；', '（二）打电话：预约电话0479-8108974；', '（三）在网上：登录政务服务平台。', '法定节假日的预约，截止到放假前一天上午12:00。', '三、服务地点', '北京路169号。'].join('\n'),
    );
    const m = byPath(o);
    expect(m.get('二、')!.paragraphs).toEqual(['可通过以下三种方式预约：', '法定节假日的预约，截止到放假前一天上午12:00。']);
    expect(m.get('二、（三）')!.paragraphs).toEqual(['登录政务服务平台。']);
    // an item with a body of its own keeps the paragraphs after it
    const long = byPath(parseOutline(['一、要求', '（一）建立机制：各单位要建立知识库更新机制，明确专人负责，每季度开展一次检查，发现问题及时整改到位。', '更新情况纳入年度考核。', '（二）加强培训：定期培训。'].join('\n')));
    expect(long.get('一、（一）')!.paragraphs).toHaveLength(2);
  });

  it('reads a regulation: chapters hold their articles and 一、 items, an article is a sentence, not a heading', () => {
    const o = parseOutline(
      ['某区帮办工作规则', '第一章 总则', '第一条 为规范帮办工作，制定本规则。', '第二条【适用范围】本规则适用于区级帮办。', '第二章 帮办服务', '一、窗口帮办', '工作日提供现场帮办。', '第三条 线上帮办30秒内响应。'].join('\n'),
    );
    expect(paths(o)).toEqual(['', '第一章', '第一章第一条', '第一章第二条', '第二章', '第二章一、', '第二章第三条']);
    const m = byPath(o);
    expect(m.get('第一章')!.heading).toBe('总则');
    expect(m.get('第一章第一条')!).toMatchObject({ heading: '', paragraphs: ['为规范帮办工作，制定本规则。'] });
    expect(m.get('第一章第二条')!).toMatchObject({ heading: '适用范围', paragraphs: ['本规则适用于区级帮办。'] });
    expect(m.get('第二章一、')!.paragraphs).toEqual(['工作日提供现场帮办。']);
    // a table of contents listing the chapters before the text is not a second copy of them
    const withContents = parseOutline(['某市信用条例', '第一章 总则', '第二章 信息归集', '第一章 总则', '第一条 为规范信用管理，制定本条例。', '第二章 信息归集', '第二条 信用信息每季度公布一次。'].join('\n'));
    expect(paths(withContents)).toEqual(['', '第一章', '第一章第一条', '第二章', '第二章第二条']);
  });

  it('puts the items of a numbered list a web page ran into one paragraph on their own', () => {
    const flat =
      '现提出本区工作要点如下：一、全力推进流程再造1.压减申请材料。能通过数据共享核验的材料一律不再提交，提交材料平均减少一半。（责任部门：区府办）' +
      '2.压缩办理时限。审批办理时限比承诺时限平均减少一半。（责任部门：区审改办）3.推进流程优化再造事项落地。';
    const o = parseOutline(flat);
    expect(paths(o)).toEqual(['', '1', '2', '3']);
    const m = byPath(o);
    expect(m.get('1')!).toMatchObject({ heading: '压减申请材料' });
    expect(m.get('1')!.paragraphs.join('')).toContain('（责任部门：区府办）');
    expect(m.get('2')!.paragraphs.join('')).toContain('（责任部门：区审改办）');
    // numbers inside sentences, or a lone “1.”, are no list
    const prose = '本区网办率较上年提升1.5倍，第2项指标提前完成，全年新增事项12个，累计办件量超过30万件，群众满意度持续提升，各项工作均取得明显成效，为下一步工作打下基础。1.总结经验。';
    expect(paths(parseOutline(prose))).toEqual(['']);
  });

  it('returns just the preamble for text without markers', () => {
    const o = parseOutline('第一段。\n第二段。');
    expect(o).toHaveLength(1);
    expect(o[0]).toMatchObject({ path: '', marker: '', level: 0, heading: '', paragraphs: ['第一段。', '第二段。'] });
  });
});
