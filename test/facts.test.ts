import { describe, it, expect } from 'vitest';
import { extractFacts, type Fact } from '../ingest/generate/facts/index.js';
import { flattenSections, sectionUnits, splitClauses } from '../ingest/generate/sections.js';
import { questionProblems } from '../ingest/generate/quality.js';

/** The facts of one kind a sentence states, as the generator reads it in a section. */
function facts(sentence: string, kind: Fact['kind'], heading = '工作要求'): string[][] {
  const [f] = flattenSections([{ path: '一、', marker: '一、', level: 1, heading, paragraphs: [`${sentence}。`], tables: [], children: [] }]);
  return sectionUnits(f).flatMap((unit) => extractFacts({ unit, clauses: splitClauses(unit.text), f }).filter((x) => x.kind === kind).map((x) => x.questions));
}

/** Each table: a sentence in the style of a 公文 → the question its fact is asked by first (and one more way, if given). */
const TABLES: Record<string, Array<[Fact['kind'], string, string, string?]>> = {
  'time-limit': [
    ['time', '区政务服务中心应在3个工作日内答复企业的书面咨询', '区政务服务中心应在多长时间内答复企业的书面咨询？', '区政务服务中心应在几个工作日内答复企业的书面咨询？'],
    ['time', '窗口工作人员须在受理后2小时内完成材料初审', '窗口工作人员须在受理后多长时间内完成材料初审？'],
    ['time', '窗口收到材料后次日反馈审核意见', '窗口收到材料后什么时候反馈审核意见？'],
  ],
  frequency: [
    ['freq', '各街镇每季度至少开展一次帮办服务自查', '各街镇多久开展一次帮办服务自查？', '各街镇每季度至少开展几次帮办服务自查？'],
    ['freq', '区数据局每年组织一次数据质量评估', '区数据局多久组织一次数据质量评估？'],
  ],
  target: [
    ['target', '网上办事一次办成率原则上要达到95%', '网上办事一次办成率原则上要达到多少？', '网上办事一次办成率的要求是多少？'],
    ['target', '到2025年，高频事项网办率不低于90%', '高频事项网办率不低于多少？'],
  ],
  count: [
    ['count', '本区梳理形成12个高频事项的办事指南', '本区梳理形成多少个高频事项的办事指南？'],
    ['count', '新增8项、优化15项“一件事”服务', '新增多少项、优化多少项“一件事”服务？'],
    // the count names what; the sentence's last clause says what is done with it
    ['count', '区本级驻厅的33个部门、1116个事项，以及各分厅的496个事项纳入延时服务', '区本级驻厅的多少个部门、多少个事项纳入延时服务？'],
    // a clause without a subject takes what the clause before introduced, or was about
    ['count', '本中心自2022年7月18日起推出延时服务，包括三种方式', '延时服务包括几种方式？'],
    ['count', '延时服务需要提前预约，可在法定工作日通过以下三种方式提出', '延时服务可在法定工作日通过以下几种方式提出？'],
  ],
  duty: [
    ['duty', '区财政局负责帮办经费保障', '谁负责帮办经费保障？', '帮办经费保障由哪个部门负责？'],
    ['duty', '政务服务热线由区融媒体中心负责运营维护', '政务服务热线由谁负责运营维护？'],
  ],
  role: [['role', '区政务服务办是本区帮办工作的牵头部门', '本区帮办工作的牵头部门是谁？', '谁是本区帮办工作的牵头部门？']],
  transform: [['transform', '服务方式由“群众跑”转变为“数据跑”', '服务方式要由什么转变为什么？']],
  list: [['list', '窗口提供预约、叫号、评价和投诉等服务', '窗口提供哪些服务？']],
  topic: [['topic', '对行动不便的老年人，提供上门办理服务', '对行动不便的老年人有什么服务？']],
  deadline: [['deadline', '2025年底前，建成区级帮办知识库，上线智能问答', '什么时候要建成区级帮办知识库？', '什么时候要上线智能问答？']],
  definition: [['define', '企业专属服务空间（以下简称“企业空间”）提供政策推送和诉求直达', '什么是“企业空间”？']],
};

for (const [extractor, rows] of Object.entries(TABLES)) {
  describe(`fact extractor: ${extractor}`, () => {
    it.each(rows)('%s: %s', (kind, sentence, first, more) => {
      const found = facts(sentence, kind);
      expect(found.length, sentence).toBeGreaterThan(0);
      expect(found[0][0]).toBe(first);
      if (more) expect(found.flat()).toContain(more);
      for (const q of found.flat()) expect(questionProblems(q), q).toEqual([]);
    });
  });
}

describe('a count closing an enumeration is left to the list question, which does not give the answer away', () => {
  it.each([
    ['本中心自2023年3月1日起推出延时服务，包括“早晚弹性办”“午间不间断”和“周末不休息”三种方式', '本中心自2023年3月1日起推出延时服务，包括哪些方式？'],
    ['大厅设置综合受理、自助服务、帮办代办3个功能区', '大厅设置哪些功能区？'],
  ])('%s', (sentence, listQuestion) => {
    expect(facts(sentence, 'count')).toEqual([]);
    expect(facts(sentence, 'list').flat()).toContain(listQuestion);
  });
});

describe('an anniversary is no time limit', () => {
  it('“平台上线五周年”is not asked as 多长时间', () => {
    expect(facts('以“一网通办”平台上线五周年为契机，推动改革向纵深发展', 'time').flat()).toEqual([]);
    expect(facts('区数据局须在2周内完成数据核对', 'time')[0][0]).toBe('区数据局须在多长时间内完成数据核对？');
  });
});

describe('fact extractors on seed sentences', () => {
  it('asks the seeds’ time limits and frequencies the way a citizen would', () => {
    expect(facts('对“小申”和线上人工帮办都未能解答的咨询，区行政服务中心应当在5个工作日内将答复口径补充至知识库', 'time')[0][0]).toMatch(/未能解答的咨询.*多长时间内/);
    expect(facts('各单位主要领导每半年至少开展一次帮办', 'freq')[0][0]).toBe('各单位主要领导多久开展一次帮办？');
  });
});

describe('the quality gate on questions', () => {
  it.each([
    ['什么是什么是医保电子凭证？', '两层模板'],
    ['多久二、周四17:00—19:00？', '标题序号'],
    ['什么是请携带本人有效身份证件原件？', '指令句'],
    ['附则是什么？', '附则'],
    ['什么是申请材料？', '笼统'],
    ['要由什么转变为什么？', '主语'],
    ['共多少项？', '主语'],
    ['什么是哪些事项可以延时办理？', '两层模板'],
    ['一共几个？', '主语'],
    ['要求有哪些要求？', '重复'],
    ['关于关于进一步提高思想认识，有什么规定？', '重复'],
    ['到2025年底的目标的工作目标是什么？', '重复'],
    // the subject stayed in the sentence before ("推出延时服务，包括……四种方式"; "延时服务需要提前预约，可在……提出")
    ['包括“早晚弹性办”“午间不间断”和“周末不休息”几种方式？', '主语'],
    ['可在法定工作日通过以下几种方式提出？', '主语'],
    // a regulation's articles: a sentence cut after its 是, a purpose clause, a boilerplate chapter named with its document
    ['县政府工作的指导思想是是怎么规定的？', '半句话'],
    ['关于县政府工作的指导思想是，有什么规定？', '半句话'],
    ['什么是为规范本区政务服务帮办工作？', '目的或依据'],
    ['按照市里的部署是怎么规定的？', '目的或依据'],
    ['某区帮办工作规则的附则是什么？', '附则'],
    ['总则包括哪些方面？', '附则'],
    ['全心服务原则的基本原则是什么？', '重复'],
    ['什么是目标要求？', '笼统'],
    ['什么是帮办代办服务工作应遵循依法依规、无偿自愿的原则？', '一句要求'],
  ])('%s is rejected (%s)', (q, reason) => {
    expect(questionProblems(q).join()).toContain(reason);
  });
  it.each(['企业开办的申请材料有哪些？', '谁负责平台技术保障？', '线上服务包括哪些渠道？', '“12345”热线接通率原则上要达到多少？', '统一、规范的办事指南在哪里查？', '一批“免申即享”服务共多少项？', '几点开门？', '帮办服务的工作目标是什么？', '天天都能办吗？', '及时办结率要达到多少？', '县政府工作的指导思想是什么？', '为民服务中心在哪里？', '总是打不通热线怎么办？', '什么是应急管理服务？', '什么是全心服务原则？'])('%s passes', (q) => {
    expect(questionProblems(q)).toEqual([]);
  });
});
