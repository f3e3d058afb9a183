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
    expect(asked).toContain('什么是帮办？'); // not “什么是本规则所称帮办？”
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

  it('reads a record that puts two fields on one line, and prefers the wrapper’s full name to a short 发布机构', () => {
    const reply = meta(
      ['• 设为首页|', '• 长辈版|', '索引号：11340000/2020-00002 组配分类：互动回应', '发布机构：市数据资源局（市政务服务局） 主题分类：其他', '名称：周末能不能去大厅办事 文号：', '发布日期：2020-11-13', '网友建议：', '老百姓工作日没空，希望周末也能办事。'].join('\n'),
    );
    expect(reply).toMatchObject({ title: '周末能不能去大厅办事', issuer: '市数据资源局（市政务服务局）' });
    const plan = meta(
      ['索 引 号: | WA0000-2024-001 | 主题分类: | 区府办文件 |', '发布机构: | 区政府办公室 | 发文日期: | 2024-08-07 |', '名 称: | 上海市嘉定区人民政府办公室关于印发《2024年嘉定区深化帮办服务工作方案》的通知 | ||', '文 号: | 嘉府办发〔2024〕19号 | 公开类型: | 主动公开 |', '各镇人民政府，区政府各委、办、局：', '《2024年嘉定区深化帮办服务工作方案》已经区政府同意，现印发给你们。'].join('\n'),
    );
    expect(plan).toMatchObject({ title: '2024年嘉定区深化帮办服务工作方案', docNumber: '嘉府办发〔2024〕19号', issuer: '上海市嘉定区人民政府办公室', region: '嘉定区' });
    // any 发布机构 that names no place gives way to the wrapper's full name; one that names its place is kept
    const wrapped = (publisher: string) =>
      meta([`发布机构：${publisher}`, '文件名称：某某县行政审批局关于印发《帮办代办服务规范》的通知', '帮办代办服务规范', '一、服务范围', '涉企事项全程代办。'].join('\n')).issuer;
    expect(wrapped('行政审批局')).toBe('某某县行政审批局');
    expect(wrapped('上海市长宁区数据局')).toBe('上海市长宁区数据局');
  });

  it('titles a government decree by the rules it promulgates, numbered by the decree', () => {
    const m = meta(
      ['某某省人民政府令', '第88号', '《某某省政务服务便民热线管理办法》已经2024年10月8日省人民政府常务会议通过，现予公布，自2025年1月1日起施行。', '省长 某某某', '2024年11月1日', '某某省政务服务便民热线管理办法', '第一条 为了规范便民热线管理，制定本办法。'].join('\n'),
    );
    expect(m).toMatchObject({ title: '某某省政务服务便民热线管理办法', docNumber: '某某省人民政府令第88号', issuer: '某某省人民政府', effectiveDate: '2025-01-01', region: '某某省' });
  });

  it('takes a two-part headline as the title of an interview page, not a decision the talk mentions', () => {
    const m = meta(['一窗受理、一次办成，跑出服务加速度', '• 主持人：', '各位网友好。今年市人大通过了《关于进一步促进和保障“一网通办”改革的决定》，今天请来区里的嘉宾聊一聊。'].join('\n'));
    expect(m.title).toBe('一窗受理、一次办成，跑出服务加速度');
  });

  it('names a notice that states no title by its issuer and its kind, and says so', () => {
    const text = repairText(
      ['为畅通问题反映渠道，区政务服务中心开通“办不成事”反映窗口线上渠道，现将有关事宜公告如下：', '一、服务范围', '企业群众在大厅没有办成的事，都可以反映。', '二、反映渠道', '工作日可到一楼反映窗口当面反映。', '某某市某某区政务服务中心', '2023年2月27日'].join('\n'),
    );
    const metadata = extractMetadata(text, 'notice-2023.txt');
    expect(metadata.title).toBe('某某市某某区政务服务中心公告');
    const [doc] = generateEntries({ fileName: 'notice-2023.txt', format: 'txt', text, metadata, outline: parseOutline(text) });
    expect(doc.question).toBe('《某某市某某区政务服务中心公告》是什么文件？');
    expect(doc.answer).toContain('原文未载明标题，以发文机关和文种代替');
  });

  it('places a county’s document by the county its title opens with (Shanghai has no county)', () => {
    const m = meta(['《某某县政务服务代办制度》政策解读', '日期：2019-12-11', '近日，县政府办公室印发了《某某县政务服务代办制度》。'].join('\n'));
    expect([m.region, m.level]).toEqual(['某某县', 'district']);
    expect(meta('县级政务服务事项清单说明\n为方便群众办事，制定本清单。\n').region).toBe('上海市');
  });

  it('reads a service standard numbered 1 范围, 2 术语和定义, 2.1 …, and asks about its terms, principles and figures', () => {
    const text = repairText(
      [
        '某某县帮办代办服务规范',
        '1 范围',
        '本文件规定了帮办代办服务的基本原则和服务质量。',
        '2 术语和定义',
        '下列术语和定义适用于本文件。',
        '2.1 帮办',
        '为服务对象提供咨询，协助准备材料，并带领其办理业务。',
        '2.2 代办',
        '根据服务对象的申请，代理其办理业务。',
        '3 基本原则',
        '3.1 便捷高效',
        '在服务对象自愿的基础上，提供无偿帮办代办服务。',
        '4 服务质量',
        '服务质量应满足以下要求：',
        'a）服务事项按时办结率达到100%；',
        'b）服务对象满意率不低于98%。',
      ].join('\n'),
    );
    const outline = parseOutline(text);
    expect(outline.map((s) => s.marker)).toEqual(['', '1', '2', '3', '4']);
    expect(outline[2].children.map((s) => [s.marker, s.heading])).toEqual([['2.1', '帮办'], ['2.2', '代办']]);
    const metadata = extractMetadata(text, 'standard.txt');
    const entries = generateEntries({ fileName: 'standard.txt', format: 'txt', text, metadata, outline });
    const asked = entries.map((e) => e.question);
    expect(asked).toEqual(expect.arrayContaining(['什么是帮办？', '什么是代办？', '什么是便捷高效原则？', '服务事项按时办结率要达到多少？']));
    // not "便捷高效的基本原则是什么？", not "a服务事项……", nothing about the standard's 范围 or 术语和定义 clauses
    expect(asked.filter((q) => /^便捷高效的|^[a-z]|范围|术语/.test(q))).toEqual([]);
    expect(entries.flatMap((e) => entryQualityProblems(e))).toEqual([]);
    // a line opening with a figure is a sentence, not a clause heading, in a text that is no standard
    expect(parseOutline(repairText('一、办理时限\n10个工作日内办结\n')).map((s) => s.marker)).toEqual(['', '一、']);
  });

  it('never frames a scope clause, a time adverbial, a purpose, a definition’s opening or a list of bodies as a topic, nor asks “1-多少名”', () => {
    for (const q of [
      '什么是今年疫情以来？',
      '什么是回复部门跟进个案后？',
      '什么是为建立政务服务“好差评”工作机制？',
      '本办法所称便民热线（以下简称热线）是怎么规定的？',
      '“好差评”适用各级政务服务机构、各类政务服务平台是怎样的？',
      '县级以上人民政府有关部门、乡镇人民政府、街道办事处是怎样的？',
    ]) {
      expect(entryQualityProblems({ question: q, answer: '根据《某办法》，这是一段足够长的答案内容。' })).not.toEqual([]);
    }
    expect(entryQualityProblems({ question: '示例区企业开办的适用范围是什么？', answer: '根据《某指引》，拟在示例区登记设立的各类企业。' })).toEqual([]);
    const text = repairText('某某县政务服务代办制度\n一、代办人员\n各审批部门负责指定1-2名代办人员，负责本部门的代办服务工作。现在改革已经实施两年了，到现在2个月的时间，群众反映良好。\n');
    const entries = generateEntries({ fileName: 'daiban.txt', format: 'txt', text, metadata: extractMetadata(text, 'daiban.txt'), outline: parseOutline(text) });
    expect(entries.map((e) => e.question).filter((q) => /1-多少|时间的时间/.test(q))).toEqual([]);
  });

  it('asks a reading’s generic sections as the explained plan’s, however the heading words them', () => {
    const text = repairText(
      ['《关于在某区政务服务中心设立“办不成事”反映窗口的工作方案》的政策解读', '一、起草背景和过程', '根据本区深化改革的要求，区政务服务办起草了《工作方案》，并征求了各部门意见。', '二、《工作方案》的基本内容', '《工作方案》分为工作目标、主要任务和保障措施三个部分，明确各中心都要设立反映窗口。', '《工作方案》明确了窗口服务原则：一是首问负责原则。接到反映的工作人员负责到底。二是限时办结原则。能当场解决的当场解决。'].join('\n'),
    );
    const metadata = extractMetadata(text, 'reading.txt');
    const asked = generateEntries({ fileName: 'reading.txt', format: 'txt', text, metadata, outline: parseOutline(text) }).map((e) => e.question);
    expect(asked).toEqual(expect.arrayContaining(['在某区政务服务中心设立“办不成事”反映窗口的起草背景和过程是什么？', '在某区政务服务中心设立“办不成事”反映窗口的基本内容是什么？']));
    expect(asked.filter((q) => /^什么是(?:起草|《)|明确了/.test(q))).toEqual([]);
    expect(asked).toContain('什么是窗口服务原则？'); // not "《工作方案》明确了窗口服务原则是怎么规定的？"
  });
});
