import { normalizeText } from './normalize.js';

/**
 * 涉法、涉诉、投诉 are outside the 帮办 service (普府办〔2021〕39号 一、（四）; the city work plan 一、（二）):
 * they are routed to their own channels, never answered from the knowledge base.
 */
export interface ScopeRoute {
  kind: 'complaint' | 'legal';
  /** Where to go instead. */
  channel: string;
  message: string;
}

const COMPLAINT: ScopeRoute = {
  kind: 'complaint',
  channel: '12345',
  message:
    '投诉、举报不属于帮办服务范围，小申不受理。请拨打 12345 市民服务热线（24 小时），或通过“一网通办”的投诉举报渠道提交，由主管部门依法处理。',
};

const LEGAL: ScopeRoute = {
  kind: 'legal',
  channel: 'legal',
  message:
    '涉法涉诉事项不属于帮办服务范围，小申无法解答。诉讼请向有管辖权的人民法院咨询立案；劳动人事争议可向劳动人事争议仲裁委员会申请仲裁；' +
    '对行政行为不服可依法向行政复议机关申请行政复议；需要法律帮助可拨打 12348 公共法律服务热线咨询或申请法律援助。',
};

/** Questions about the service itself stay in scope: how to rate it, what its scope is. */
const ABOUT_THE_SERVICE = [
  /(怎么|如何|怎样|在哪|哪里|可以|能不能|能否)(给|对)?.{0,8}(打差评|差评|好差评|评价)/,
  /(帮办|服务)范围/,
  /(属于|不属于|包括|包含|算不算|在不在).{0,10}(帮办|服务范围)/,
  /(涉法|涉诉).{0,4}(投诉)?.{0,6}(怎么处理|如何处理|按什么|走什么)/,
];

/** Unit names that contain the words but are not a complaint (e.g. 市局投诉举报中心). */
const NAMES = /投诉举报中心|仲裁委员会|复议机关|法律援助中心/g;

const COMPLAINT_INTENT = /投诉|举报|检举|揭发|告发|曝光/;
const LEGAL_INTENT = /起诉|诉讼|打官司|告上法庭|上诉|仲裁|行政复议|申请复议|复议|律师|法律援助|判决|立案|维权|索赔/;

export function checkScope(question: string): ScopeRoute | null {
  const text = normalizeText(question).replace(/\s+/g, '');
  if (ABOUT_THE_SERVICE.some((re) => re.test(text))) return null;
  const rest = text.replace(NAMES, '');
  if (rest !== text && !COMPLAINT_INTENT.test(rest) && !LEGAL_INTENT.test(rest)) return null; // asks about such a unit
  if (LEGAL_INTENT.test(rest)) return LEGAL;
  if (COMPLAINT_INTENT.test(rest)) return COMPLAINT;
  return null;
}
