/**
 * What kind of answer a question asks for — a date, a duration, a count, who, where, how … — read from its
 * question words. A candidate whose own question asks for another kind (“哪天开始” against “有哪些攻略”) is less
 * likely to answer it: one of the confidence model's features, never a rule on its own.
 */
import { compact } from './similarity.js';
import { figureAsked, type FigureAsk } from './slots.js';

export type QuestionForm =
  | 'date' | 'duration' | 'percent' | 'count' | 'money' | 'who' | 'where' | 'why' | 'how' | 'yesno' | 'definition' | 'list';

/**
 * The forms no figure answers, first match wins. The kinds of figure (a date, a percentage, a count) are the slot
 * rule's own reading (slots.ts figureAsked), so the two never disagree on what a question asks for; only a duration
 * and a fee are read first (多少天 asks how long, 多少元 how much it costs).
 */
const DURATION = /多久|多长时间|几天|多少天|期限|时限|几个工作日|多少个工作日|时长/u;
const MONEY = /多少钱|费用|收费|交钱|押金|金额|多少元/u;
const FORMS: Array<[QuestionForm, RegExp]> = [
  ['who', /谁|哪个部门|哪些部门|哪个单位|哪些单位|哪家|哪个处|哪位|牵头|负责/u],
  ['where', /哪里|哪儿|在哪|什么地方|地址|地点|网址|网站|渠道|入口/u],
  ['why', /为什么|为何|原因|咋回事|怎么回事/u],
  ['how', /怎么|如何|怎样|咋|流程|步骤|方式|办法|途径/u],
  ['yesno', /能不能|能否|是否|可不可以|可以吗|要不要|会不会|有没有|是不是|够不够|吗$/u],
  ['definition', /什么是|是什么|指什么|啥是|是啥/u],
  ['list', /哪些|哪几|有什么|包括/u],
];

/**
 * Forms that answer each other's questions: a citizen asking 能不能网上打印 wants 如何在线打印; 有哪几种交法 is
 * answered by 有几种方式; 在哪办 by 怎么办; 哪个部门 by 到哪里. A yes/no question can be answered by any statement.
 */
const COMPATIBLE: QuestionForm[][] = [
  ['how', 'list', 'where'],
  ['list', 'count', 'definition'],
  ['date', 'duration'],
  ['who', 'where'],
];

/** How the form a question asks for relates to the form a candidate's own question answers. */
export function formRelation(asked: QuestionForm | null, offered: QuestionForm | null): 'same' | 'compatible' | 'different' | 'unknown' {
  if (!asked || !offered) return 'unknown';
  if (asked === offered) return 'same';
  if (asked === 'yesno' || offered === 'yesno') return 'compatible';
  return COMPATIBLE.some((g) => g.includes(asked) && g.includes(offered)) ? 'compatible' : 'different';
}

/**
 * The question a unit answers: an entry's own question. A source passage has none — its “question” is the document
 * title and section path, which says where it stands, not what it answers (two passages of one document share it).
 */
export function ownQuestion(unit: { passage: boolean; question: string }): string | null {
  return unit.passage ? null : unit.question;
}

/** The form each kind of figure asks for: a clock time or days of the week are a when, a telephone number a where to turn. */
const FIGURE_FORM: Record<FigureAsk['kind'], QuestionForm> = {
  count: 'count', ordinal: 'count', percent: 'percent', date: 'date', clock: 'date', weekday: 'date', phone: 'where',
  docNumber: 'definition', items: 'list',
};

export function questionForm(text: string): QuestionForm | null {
  const t = compact(text).replace(/[？?！!。]+$/u, '');
  if (DURATION.test(t)) return 'duration';
  if (MONEY.test(t)) return 'money';
  const figure = figureAsked(t);
  if (figure) return FIGURE_FORM[figure.kind];
  for (const [form, re] of FORMS) if (re.test(t)) return form;
  return null;
}
