import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { smallKb } from './helpers/small-kb.js';
import { extractSlots, figureAsked, slotConflicts, statesFigure } from '../server/search/slots.js';
import { compact as compactOf } from '../server/search/similarity.js';

describe('slots a question names must agree with the answer', () => {
  let s: Awaited<ReturnType<typeof smallKb>>;
  beforeAll(async () => {
    s = await smallKb([
      { category: 'faq', question: '金山区2023年网办率目标是多少？', answer: '2023年金山区全程网办率达到85%以上。', level: 'district', region: '金山区' },
      { category: 'faq', question: '普陀区2024年网办率目标是多少？', answer: '2024年普陀区全程网办率达到90%以上。', level: 'district', region: '普陀区' },
      { category: 'faq', question: '普陀区帮办方案是怎么通过的？', answer: '方案经区政府常务会议审议通过后印发。', level: 'district', region: '普陀区' },
      { category: 'faq', question: '企业开办收费吗？', answer: '企业开办免费，不收取任何费用。' },
    ]);
  });
  afterAll(() => s.cleanup());

  it('a district the question names picks that district’s figure, never a neighbour’s', async () => {
    const jinshan = await s.answers.answer({ question: '金山区网办率要达到多少' });
    expect(jinshan.answer?.answer ?? jinshan.suggestions[0]?.question).toContain('金山');
    // 宝山区 is in no entry: another district's 85% or 90% must not be given as its answer.
    const baoshan = await s.answers.answer({ question: '宝山区2023年网办率目标是多少？' });
    expect(baoshan.outcome).not.toBe('answered');
  });

  it('a district’s figure is not answered with a city-wide one: the KB holds no figure for 闵行', async () => {
    const t = await smallKb([
      { category: 'faq', question: '2022年底前“小申”的解决率要达到多少？', answer: '到2022年底，“小申”智能客服的问题解决率达到90%。' },
      { category: 'faq', question: '企业开办收费吗？', answer: '企业开办免费，不收取任何费用。' },
      // 闵行 is a word the KB knows (an address), so the question is not refused as unfamiliar
      { category: 'faq', question: '闵行区行政服务中心在哪里？', answer: '闵行区行政服务中心位于沪闵路6258号。', level: 'district', region: '闵行区' },
    ]);
    try {
      const minhang = await t.answers.answer({ question: '闵行区小申的解决率要求是多少' });
      expect(minhang.outcome).not.toBe('answered');
      expect(minhang.suggestions[0]?.question).toContain('解决率'); // still offered, to be checked by the citizen
      const citywide = await t.answers.answer({ question: '小申的解决率要求是多少' });
      expect(citywide.outcome).toBe('answered');
    } finally {
      t.cleanup();
    }
  });

  it('a question comparing two districts is not answered with one district’s figure', async () => {
    const both = await s.answers.answer({ question: '普陀区网办率目标是多少 跟金山区一样吗' });
    expect(both.outcome).toBe('suggest');
    // Both districts' figures are offered, for the citizen to compare.
    expect(both.suggestions.map((e) => e.question)).toEqual(expect.arrayContaining(['普陀区2024年网办率目标是多少？', '金山区2023年网办率目标是多少？']));
    const one = await s.answers.answer({ question: '普陀区网办率目标是多少' });
    expect(one.outcome).toBe('answered');
    expect(one.answer?.question).toBe('普陀区2024年网办率目标是多少？');
  });

  it('a year the question names must be the answer’s year', async () => {
    const res = await s.answers.answer({ question: '普陀区2022年网办率目标是多少？' });
    expect(res.outcome).not.toBe('answered');
  });

  it('a question asking for a figure is not answered by a text without one', async () => {
    const res = await s.answers.answer({ question: '普陀区帮办方案是区政府第几次常务会议通过的？' });
    expect(res.outcome).not.toBe('answered');
    // … but a bare 多少 (费用多少) may be answered without a number: 免费.
    const fee = await s.answers.answer({ question: '企业开办费用多少' });
    expect(fee.outcome).toBe('answered');
    expect(fee.answer!.answer).toContain('免费');
  });

  it('a question that says “欠了几个月” in passing is answered by an entry stating no count of months', async () => {
    const t = await smallKb([
      { category: 'faq', question: '用人单位欠缴养老保险费，补缴时滞纳金如何计算？', answer: '自欠缴之日起，按日加收万分之五的滞纳金。' },
      { category: 'faq', question: '企业开办收费吗？', answer: '企业开办免费，不收取任何费用。' },
    ]);
    try {
      const res = await t.answers.answer({ question: '公司养老保险欠了几个月，补交的时候滞纳金怎么算' });
      expect(res.answer?.question ?? res.suggestions[0]?.question).toContain('滞纳金');
      expect(res.outcome).toBe('answered');
    } finally {
      t.cleanup();
    }
  });

  it('a question asking the time, the days or the telephone number is answered only by a text that gives one', async () => {
    const t = await smallKb([
      { category: 'guide', question: '区行政服务中心的办公时间是什么？', answer: '工作日 9:00—17:00 对外办公，周六上午 9:00—12:00 只办理预约业务。' },
      { category: 'guide', question: '区行政服务中心在什么地方？', answer: '区行政服务中心在大渡河路 1668 号，可乘地铁 13 号线到达。' },
      { category: 'hotline', question: '12345热线能做什么？', answer: '12345 是市民服务热线，受理咨询、求助和投诉建议。' },
      { category: 'faq', question: '企业开办收费吗？', answer: '企业开办免费，不收取任何费用。' },
    ]);
    try {
      // 17:00 is stated as 9:00—17:00: read from the raw text (normalising drops the colon)
      const closing = await t.answers.answer({ question: '区行政服务中心几点下班' });
      expect(closing.outcome).toBe('answered');
      expect(closing.answer!.answer).toContain('17:00');
      // neither entry about 12345 nor the others states a time of day for it
      const hotline = await t.answers.answer({ question: '12345热线晚上几点下班' });
      expect(hotline.outcome).not.toBe('answered');
      const weekend = await t.answers.answer({ question: '区行政服务中心周末开门吗' });
      expect(weekend.answer?.question ?? weekend.suggestions[0]?.question).toBe('区行政服务中心的办公时间是什么？');
      // no entry gives the centre's telephone number: the address is not an answer to it
      const phone = await t.answers.answer({ question: '区行政服务中心电话是多少' });
      expect(phone.outcome, phone.answer?.question).not.toBe('answered');
    } finally {
      t.cleanup();
    }
  });

  it('a question asking for a 文号 is answered only by a document that has one', async () => {
    const t = await smallKb([
      { category: 'policy', question: '《数据共享实施方案》是什么文件？', answer: '《数据共享实施方案》由区政府办公室印发，文号为数府办〔2023〕5号，规定了数据共享的任务。' },
      { category: 'policy', question: '《智慧好办行动方案》是什么文件？', answer: '《智慧好办行动方案》由区数据局制订，2024年10月印发，规定了人工智能辅助申报的任务。' },
      { category: 'faq', question: '企业开办收费吗？', answer: '企业开办免费，不收取任何费用。' },
    ]);
    try {
      const numbered = await t.answers.answer({ question: '数据共享实施方案的文号是多少' });
      expect(numbered.outcome).toBe('answered');
      expect(numbered.answer!.answer).toContain('数府办〔2023〕5号');
      // the plan has no 文号: telling what the plan is does not answer the question, nor does the other plan's number
      const unnumbered = await t.answers.answer({ question: '智慧好办行动方案的文号是多少' });
      expect(unnumbered.outcome).not.toBe('answered');
    } finally {
      t.cleanup();
    }
  });

  it('a question asking which the stated items are is answered only by a text that names them', async () => {
    const t = await smallKb([
      { category: 'policy', question: '普陀区2024年新增多少项“免申即享”服务？', answer: '2024年普陀区新增区级“免申即享”服务5项、优化10项。', level: 'district', region: '普陀区' },
      { category: 'policy', question: '2022年推出的“三个一批”是什么？', answer: '2022年推出“三个一批”创新服务：一批“免申即享”服务、一批高效办成“一件事”、一批“好办、快办”事项。' },
      { category: 'faq', question: '企业开办收费吗？', answer: '企业开办免费，不收取任何费用。' },
    ]);
    try {
      // the count alone does not say which five they are
      const five = await t.answers.answer({ question: '普陀2024年新增的5项免申即享服务 具体是哪5项' });
      expect(five.outcome).not.toBe('answered');
      expect(five.suggestions[0]?.question).toBe('普陀区2024年新增多少项“免申即享”服务？'); // still offered
      const three = await t.answers.answer({ question: '2022年推出的“三个一批”具体是哪三批' });
      expect(three.outcome).toBe('answered');
      expect(three.answer!.answer).toContain('好办、快办');
    } finally {
      t.cleanup();
    }
  });

  it('reads places, years, 文号 and the kind of figure asked for', () => {
    expect(extractSlots('普陀区2022年要点（普府办〔2022〕12号）')).toEqual({ places: ['普陀'], years: ['2022'], docNumbers: ['2022/12'], clockTime: false, phoneNumber: false, enumerated: [] });
    expect(slotConflicts(extractSlots('金山2023年'), extractSlots('2024年普陀区'))).toEqual(['地区', '年份']);
    // an entry of a traditional-character document names its 文号 and district in its own characters
    expect(extractSlots('靜安區2022年要點（滬府辦發〔2022〕1號）')).toEqual({ places: ['静安'], years: ['2022'], docNumbers: ['2022/1'], clockTime: false, phoneNumber: false, enumerated: [] });
    expect(slotConflicts(extractSlots('金山2023年'), extractSlots('全市统一'))).toEqual([]); // a unit naming none does not contradict
    // … unless the question asks for that place's figure: a city-wide 90% is not 闵行区's target
    expect(slotConflicts(extractSlots('闵行区的解决率要求是多少'), extractSlots('2022年底前小申解决率达到90%'), true)).toEqual(['地区']);
    expect(slotConflicts(extractSlots('普陀区的解决率要求是多少'), extractSlots('普陀区解决率达到90%'), true)).toEqual([]);
    // “24年” is a year where it must be one (今年24年, 24年底); elsewhere two digits before 年 are a span of time.
    expect(slotConflicts(extractSlots('今年24年解决率要提到多少'), extractSlots('2023年底前解决率达到80%'))).toEqual(['年份']);
    expect(extractSlots('24年底前要完成吗').years).toEqual(['2024']);
    // After a place or before a yearly document's name it is a year too: 长宁23年的要点 is not 长宁's 2024 plan.
    expect(slotConflicts(extractSlots('长宁23年一网通办定的网办率是多少'), extractSlots('长宁区2024年全程网办率达到90%'))).toEqual(['年份']);
    expect(extractSlots('普陀区24年要点').years).toEqual(['2024']);
    expect(extractSlots('去看看23年的工作方案').years).toEqual(['2023']);
    for (const span of ['缴费满15年以上', '交了12年社保', '工作15年退休', '住了10年', '12年义务教育', '工龄24年以上']) expect(extractSlots(span).years).toEqual([]);
    expect(figureAsked('新增多少类电子证照')).toEqual({ kind: 'count', unit: '类' });
    // “文号是几号” asks for the document number, not a day of the month
    expect(figureAsked('那个国务院指导意见 文号是几号')).toEqual({ kind: 'docNumber' });
    expect(figureAsked('为企帮办方案 发文字号')).toEqual({ kind: 'docNumber' });
    // a count the question states, then “which”: the items themselves; “13项…在哪几个领域” asks for something else
    expect(figureAsked('为企帮办23年新增的那50项企业事项 具体是哪些 有名单吗')).toEqual({ kind: 'items', count: '50项' });
    expect(figureAsked('“三个一批”具体是哪三批')).toEqual({ kind: 'items', count: '3个' });
    expect(figureAsked('杨浦2023年新上线的13项免申即享主要在哪几个领域')).toBeNull();
    expect(extractSlots('推出“三个一批”：一批A服务、一批B事项、一批C事项。').enumerated).toEqual(['3个']);
    expect(extractSlots('新增区级服务5项、优化10项。').enumerated).toEqual([]);
    expect(figureAsked('网办率要达到多少')).toEqual({ kind: 'percent' }); // 率 … 要达到 … 多少, not only 率多少
    expect(figureAsked('闵行区今年的人工帮办解决率要求是多少')).toEqual({ kind: 'percent' });
    expect(figureAsked('网办率高不高，办一次多少钱')).toEqual(null);
    expect(figureAsked('费用多少')).toBeNull();
    // 几 saying “several” or “which”, not “how many”: the question is about something else.
    expect(figureAsked('公司养老保险欠了几个月，补交的时候滞纳金怎么算')).toBeNull();
    // … but 了几个 closing the question asks how many were done
    expect(figureAsked('普陀靠普办帮办点 现在总共设了几个')).toEqual({ kind: 'count', unit: '个' });
    expect(figureAsked('分中心今年一共开了几家呢？')).toEqual({ kind: 'count', unit: '家' });
    expect(figureAsked('社保欠了几个月怎么办')).toBeNull();
    expect(figureAsked('好几天没人处理怎么办')).toBeNull();
    expect(figureAsked('普陀的行政许可事项要对外公布哪几个时限')).toBeNull();
    // 这/那/近几 are “these few”: 重污染预警那几天没按规定限行 asks about a penalty, not a number of days
    expect(figureAsked('重污染红色预警那几天 没按规定限行开出去了 扣不扣分')).toBeNull();
    expect(figureAsked('近几年新增了哪些服务')).toBeNull();
    expect(figureAsked('整改要在几天内完成')).toEqual({ kind: 'count', unit: '天' });
    expect(figureAsked('故宫门票要提前几天抢')).toEqual({ kind: 'count', unit: '天' });
    expect(figureAsked('一天最多能问几次')).toEqual({ kind: 'count', unit: '次' });
    expect(statesFigure({ kind: 'count', unit: '类' }, '新增电子证照30类')).toBe(true);
    // A day asked for is not told by a year: 哪天上线 against a unit naming only 2023年.
    expect(figureAsked('青浦好办2.0升级版是哪天正式上线的')).toEqual({ kind: 'date', precision: 'day' });
    expect(statesFigure({ kind: 'date', precision: 'day' }, '青府办发202322号2023年打造青浦好办20升级版')).toBe(false); // 文号 end in 号 too
    expect(statesFigure({ kind: 'date', precision: 'day' }, '2023年5月20日正式上线')).toBe(true);
    expect(figureAsked('12345企业专席是哪年开通的')).toEqual({ kind: 'date', precision: 'year' });
    expect(statesFigure({ kind: 'date', precision: 'year' }, '年底前开通企业专席')).toBe(false);
    expect(statesFigure({ kind: 'date', precision: 'year' }, '2021年开通企业专席')).toBe(true);
    expect(figureAsked('这个方案什么时候印发的')).toEqual({ kind: 'date', precision: 'any' });
    expect(statesFigure({ kind: 'date', precision: 'any' }, '2023年底前全面推行')).toBe(true);
    expect(statesFigure({ kind: 'percent' }, '网办率明显提高')).toBe(false);
    // a time of day, the days of the week, a telephone number
    expect(figureAsked('普陀区行政服务中心几点下班')).toEqual({ kind: 'clock' });
    expect(figureAsked('浦东要打造的智慧好办是几点几版')).toBeNull(); // 几点几 is a version number (2.0)
    expect(statesFigure({ kind: 'clock' }, compactOf('工作日上午九点开门'))).toBe(true);
    expect(statesFigure({ kind: 'clock' }, compactOf('工作日9:00—17:00'))).toBe(false); // the colon is gone from compact text …
    expect(statesFigure({ kind: 'phone' }, compactOf('工作日9:00—17:00'))).toBe(true); // … and reads as a run of digits
    expect(statesFigure({ kind: 'clock' }, compactOf('工作日9:00—17:00'), extractSlots('工作日9:00—17:00'))).toBe(true); // … the slots keep it
    expect(figureAsked('靠普办帮办点周末有人值班吗')).toEqual({ kind: 'weekday' });
    expect(figureAsked('政务直播间一般每周几直播')).toEqual({ kind: 'weekday' });
    expect(statesFigure({ kind: 'weekday' }, '每周二周四下午直播')).toBe(true);
    expect(statesFigure({ kind: 'weekday' }, '直播内容包括政策解读')).toBe(false);
    expect(figureAsked('家里停水了打哪个电话报修')).toEqual({ kind: 'phone' });
    expect(figureAsked('技术支持电话是多少')).toEqual({ kind: 'phone' });
    expect(figureAsked('打电话问市监局要注意什么')).toBeNull();
    expect(figureAsked('孩子该打哪个疫苗')).toBeNull(); // 打 a vaccine, not a call
    expect(statesFigure({ kind: 'phone' }, '', extractSlots('请拨打 010-68392114 咨询'))).toBe(true);
    expect(statesFigure({ kind: 'phone' }, '', extractSlots('企业服务平台技术热线：4009001866。'))).toBe(true);
    expect(statesFigure({ kind: 'phone' }, '', extractSlots('工作日 9:00—17:00，补贴 12000 元，2023年起'))).toBe(false);
    expect(statesFigure({ kind: 'phone' }, '可在官网留言咨询')).toBe(false);
  });
});
