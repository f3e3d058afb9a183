import { describe, it, expect } from 'vitest';
import { repairText } from '../ingest/repair.js';
import { extractMetadata, titleFromFileName } from '../ingest/metadata.js';
import { entryQualityProblems, generateEntries } from '../ingest/generate.js';
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

  it('keeps a page’s furniture and its bulleted 信息公开 record out of the title and the issuer', () => {
    const m = meta(
      [
        '返回顶部',
        '',
        '某县人民政府窗口服务规则',
        '  • 索引号:',
        '    1234500000/2025-000321',
        '  • 发文字号:',
        '    某政发〔2025〕3号',
        '  • 发文日期:',
        '    2025年02月10日 09:30',
        '某县人民政府窗口服务规则',
        '第一章 总则',
        '一、为方便群众办事，制定本规则。',
      ].join('\n'),
    );
    expect(m).toMatchObject({ title: '某县人民政府窗口服务规则', docNumber: '某政发〔2025〕3号', issueDate: '2025-02-10', issuer: null });
    // a 政策解读 page under the site's accessibility links and a column label
    const reading = meta(['• 设为首页', '• 无障碍阅读', '• 长者版', '【部门解读】《某街道帮办代办工作方案》的政策解读', '近日，某街道出台了帮办代办工作方案，现解读如下：', '一、背景', '方便群众。'].join('\n'));
    expect(reading.title).toBe('《某街道帮办代办工作方案》的政策解读');
  });

  it('places a city’s or a county’s own document there even when it names no province', () => {
    const body = '\n为方便群众办事，结合本地实际，制定本方案。\n一、总体要求\n以人民为中心。\n';
    const city = meta(`六安市人民政府关于印发《六安市智慧政务建设实施方案》的通知${body}六安市人民政府\n2017年9月27日\n`);
    expect([city.issuer, city.region, city.level]).toEqual(['六安市人民政府', '六安市', 'city']);
    // the issuer given only inside a 信息公开 record's 文件名称
    const county = meta(`文件名称 | 平利县人民政府办公室关于印发《“三办”服务模式实施方案》的通知 | |\n文号 | 平政办发〔2024〕14号 | 成文日期： | 2024年04月22日 |\n“三办”服务模式实施方案${body}`);
    expect([county.issuer, county.region, county.level]).toEqual(['平利县人民政府办公室', '平利县', 'district']);
    // a title opening with 智慧城市 or 超大城市 names no place
    expect(meta(`超大城市治理数字化转型工作方案${body}`).region).toBe('上海市');
    // a page's column label before the title, its "浏览次数：" line, and the body speaking in its title
    const page = meta(
      ['政务服务丨某某市人民政府关于深化“市县同权”改革的实施意见', '- 发布日期:2021-07-19', '- 浏览次数:', '某某市人民政府', '关于深化“市县同权”改革的实施意见', '某政字〔2021〕30号', '各县（市、区）人民政府：', '为深化改革，结合我市实际，制定本意见。', '一、目标要求', '扩展改革覆盖面。'].join('\n'),
    );
    expect(page).toMatchObject({ title: '某某市人民政府关于深化“市县同权”改革的实施意见', docNumber: '某政字〔2021〕30号', issuer: '某某市人民政府', region: '某某市' });
    // a district elsewhere speaking in its own title; an area inside Shanghai that ends in 区 is not one
    expect([meta(`山阳区关于推进帮办代办三级联动的实施方案${body}`).region, meta(`山阳区关于推进帮办代办三级联动的实施方案${body}`).level]).toEqual(['山阳区', 'district']);
    expect(meta(`临港新片区关于推进帮办服务的实施方案${body}`).region).toBe('上海市');
    // a prefecture (地区) is a city-level place, though its name ends in 区
    expect([meta(`某某地区行政公署关于推进帮办服务的实施方案${body}`).region, meta(`某某地区行政公署关于推进帮办服务的实施方案${body}`).level]).toEqual(['某某地区', 'city']);
    expect(meta(`长三角一体化示范区关于推进跨域通办的实施方案${body}`).region).toBe('上海市');
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

  it('turns a regulation laid out in chapters and articles into entries a citizen can read, one per article', () => {
    const text = repairText(
      [
        '某区政务服务帮办工作规则',
        '第一章 总则',
        '第一条 为规范本区政务服务帮办工作，提高办事便利度，制定本规则。',
        '第二条 本规则所称帮办，是指工作人员为企业群众办理政务服务事项提供的指导和协助。',
        '第二章 帮办服务',
        '第三条 区行政服务中心应当设置帮办窗口，工作日9:00至17:00提供现场帮办服务。',
        '第四条【帮办人员】各部门应当选派熟悉业务的工作人员担任帮办人员，每年参加培训不少于2次。',
        '第三章 附则',
        '第五条 本规则自2025年3月1日起施行。',
      ].join('\n'),
    );
    const metadata = extractMetadata(text, 'rules.txt');
    expect(metadata.title).toBe('某区政务服务帮办工作规则');
    const entries = generateEntries({ fileName: 'rules.txt', format: 'txt', text, metadata, outline: parseOutline(text) });
    const asked = entries.map((e) => e.question);
    expect(entries[0].answer).toContain('主要内容：第一章 总则；第二章 帮办服务；第三章 附则。');
    expect(asked).toContain('什么是本规则所称帮办？');
    expect(asked).toContain('什么是帮办人员？');
    // the chapter lists its articles, each with its number set apart
    expect(entries.find((e) => e.question === '帮办服务包括哪些方面？')?.answer).toContain('- 第三条 区行政服务中心应当设置帮办窗口');
    // nothing asks about 总则 or 附则, or frames the purpose clause an article opens with
    expect(asked.filter((q) => /总则|附则|为规范/.test(q))).toEqual([]);
    expect(entries.flatMap((e) => entryQualityProblems(e))).toEqual([]);
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
