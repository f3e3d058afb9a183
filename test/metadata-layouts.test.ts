import { describe, it, expect } from 'vitest';
import { repairText } from '../ingest/repair.js';
import { extractMetadata, titleFromFileName } from '../ingest/metadata.js';
import { generateEntries } from '../ingest/generate.js';
import { parseOutline } from '../ingest/outline.js';

/** Metadata of a text as the pipeline sees it (repaired first). */
const meta = (text: string, fileName = '07-某区-2025.txt') => extractMetadata(repairText(text), fileName);

describe('titles, 文号, issuers and dates on layouts unlike the seeds', () => {
  it('finds the title in the body below a few lines of site navigation', () => {
    const m = meta(
      [
        '首页 > 政务公开 > 政策文件',
        '字号：大 中 小 打印本页',
        '关于做好2025年政务服务窗口延时服务的实施意见',
        '发布时间：2025-01-02 来源：某区人民政府办公室',
        '为方便企业群众错时办事，结合本区实际，提出如下意见。',
        '一、服务时间',
        '工作日延时至19:00。',
      ].join('\n'),
    );
    expect(m.title).toBe('关于做好2025年政务服务窗口延时服务的实施意见');
  });

  it('reads a 信息公开 table given as key：value lines, values on the next line, or table rows', () => {
    const lines = meta(
      [
        '某区数据局关于推进电子证照应用的通知',
        '索引号：AB0012025000123',
        '发布机构：',
        '上海市某区数据局',
        '成文日期：2025-03-18',
        '文号：某数发〔2025〕7号',
        '主题分类：综合政务',
        '各街镇：',
        '为推进电子证照应用，现通知如下。',
      ].join('\n'),
    );
    expect(lines).toMatchObject({ title: '某区数据局关于推进电子证照应用的通知', docNumber: '某数发〔2025〕7号', issuer: '上海市某区数据局', issueDate: '2025-03-18' });
    const rows = meta(
      [
        '索引号 | XY2024-009 | 主题分类 | 城乡建设',
        '发文机关 | 上海市某区住房保障局 | 成文日期 | 2024年9月2日',
        '发文字号 | 某房发〔2024〕15号 | 有效性 | 有效',
        '某区公共租赁住房申请审核办法',
        '一、总则',
        '为规范公共租赁住房申请审核工作，制定本办法。',
      ].join('\n'),
    );
    expect(rows).toMatchObject({ title: '某区公共租赁住房申请审核办法', docNumber: '某房发〔2024〕15号', issuer: '上海市某区住房保障局', issueDate: '2024-09-02' });
  });

  it('takes a 政策解读 page heading as its title and the plan it explains as a citation', () => {
    const m = meta(
      ['关于《某区养老服务补贴实施细则》的政策解读', '发布日期：2025-06-01', '一、制定背景', '为进一步完善养老服务体系，区民政局制定了本细则。'].join('\n'),
    );
    expect(m.title).toBe('关于《某区养老服务补贴实施细则》的政策解读');
    expect(m.citations.map((c) => c.title)).toContain('某区养老服务补贴实施细则');
  });

  it('takes the plan inside a 关于印发《…》的通知 wrapper, or named by the covering letter', () => {
    expect(meta(['某区人民政府关于印发《某区优化营商环境行动方案》的通知', '某府发〔2025〕3号', '各委、办、局：', '现将《某区优化营商环境行动方案》印发给你们，请认真执行。'].join('\n')).title).toBe(
      '某区优化营商环境行动方案',
    );
    const letter = meta(
      ['各街镇，区政府各部门：', '《2025年某区政务公开工作要点》已经区政府同意，现印发给你们，请认真贯彻执行。', '上海市某区人民政府办公室', '上海市某区数据局', '2025年4月8日', '2025年某区政务公开工作要点', '一、主要目标'].join('\n'),
    );
    expect(letter.title).toBe('2025年某区政务公开工作要点');
    expect(letter.issuer).toBe('上海市某区人民政府办公室、上海市某区数据局');
    expect(letter.issueDate).toBe('2025-04-08');
  });

  it('detects traditional characters but keeps the document’s own text', () => {
    const m = meta(
      ['各鎮政府、街道辦事處：', '區政務服務辦制訂的《2025年某區深化“一網通辦”改革工作要點》已經區政府同意，現轉發給你們，請認真按照執行。', '上海市金山區人民政府辦公室', '2025年5月6日', '一、主要目標'].join('\n'),
    );
    expect(m.title).toBe('2025年某區深化“一網通辦”改革工作要點');
    expect(m.issuer).toBe('上海市金山區人民政府辦公室');
    expect(m.region).toBe('金山区');
    expect(m.level).toBe('district');
  });

  it('uses the first meaningful line or the first 《…》 of a text with no header', () => {
    expect(meta('窗口服务规范\n工作人员应当着装整齐，主动问候。\n').title).toBe('窗口服务规范');
    expect(meta('根据《某区政务服务中心管理规定》，窗口工作人员应当着装整齐，主动问候，耐心解答。\n').title).toBe('某区政务服务中心管理规定');
  });

  it('never takes a section heading for the title: a text opening with 一、起草背景 is titled by the plan it says it drafts', () => {
    const m = meta(
      [
        '一、起草背景',
        '根据《2025年上海市政务服务工作要点》（以下简称《市要点》）的部署，结合本区实际，区政务服务办牵头起草《2025年某区政务服务工作要点》（以下简称《工作要点》）。',
        '二、主要内容',
        '《工作要点》分为5个部分40项举措。',
      ].join('\n'),
    );
    expect(m.title).toBe('2025年某区政务服务工作要点');
  });

  it('places a document of another province or city there, not in Shanghai', () => {
    const body = '\n为进一步加强政务服务体系建设，结合本区实际，提出如下意见。\n一、指导思想\n以人民为中心。\n';
    const beijing = meta(`西政办发〔2017〕13号\n北京市西城区人民政府办公室关于进一步加强政务服务体系建设的实施意见\n${body}北京市西城区人民政府办公室\n2017年6月23日\n`);
    expect(beijing.issuer).toBe('北京市西城区人民政府办公室');
    expect([beijing.region, beijing.level]).toEqual(['北京市西城区', 'district']);
    const tibet = meta(`2017年西藏自治区“互联网+政务服务”工作任务进度表${body}`);
    expect([tibet.region, tibet.level]).toEqual(['西藏自治区', 'city']);
    // a Shanghai district's document stays where it was
    expect(meta(`普府办〔2021〕39号\n上海市普陀区人民政府办公室关于印发《普陀区帮办制度实施方案》的通知${body}上海市普陀区人民政府办公室\n2021年11月23日\n`).region).toBe('普陀区');
  });

  it('places a district’s page whose record names only “区政府办公室” by the district its title names', () => {
    const body = '\n一、深化政务服务渠道建设\n推进线下服务“两个集中”。\n';
    const page = meta(`发布机构：区政府办公室\n文号：沪松府办〔2025〕26号\n成文日期：2025-06-23\n2025年松江区推动“高效办成一件事”工作要点${body}`);
    expect(page.issuer).toBe('区政府办公室');
    expect([page.region, page.level]).toEqual(['松江区', 'district']);
    // a city body writing about a district stays the city's
    expect(meta(`上海市人民政府办公厅关于支持浦东新区优化营商环境的意见${body}上海市人民政府办公厅\n2024年3月1日\n`).region).toBe('上海市');
  });

  it('falls back to a cleaned file name only when the text has no title, and the 政策文件 entry says so', () => {
    expect(titleFromFileName('04-窗口服务须知.txt')).toBe('窗口服务须知');
    const text = repairText('工作人员应当着装整齐，主动问候，耐心解答群众咨询，不得推诿。\n');
    const m = extractMetadata(text, '12_窗口服务须知.txt');
    expect(m.title).toBe('窗口服务须知');
    const [doc] = generateEntries({ fileName: '12_窗口服务须知.txt', format: 'txt', text, metadata: m, outline: parseOutline(text) });
    expect(doc.question).toBe('《窗口服务须知》是什么文件？');
    expect(doc.answer).toContain('原文未载明标题，以文件名称代替');
  });
});
