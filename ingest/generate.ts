/**
 * Entry generation: turns a parsed policy document into knowledge-base entries that a citizen, an enterprise or a
 * member of staff would ask about.
 *
 * - "doc": one 政策文件 entry for the whole document (title, 文号, issuer, dates, purpose, level-1 headings);
 * - "s:<path>": one entry per section with content, its questions derived from the heading;
 * - "f:<path>:<kind>:<n>": precise Q&A for one sentence (or ；-clause) holding facts — time limits, frequencies,
 *   targets, counts, deadlines, duties, enumerations, transformations …;
 * - "l:<path>:<n>" / "i:<path>:<n>.<k>": lists introduced by 一是/二是 and their long items;
 * - "d:<path>": the 责任单位 / 牵头单位 a section names; "g:<term>": glossary terms;
 * - "t:<path>:row:<n>", "t:<path>:all", "t:<path>:form": table rows, the whole table, blank forms.
 *
 * Near-duplicates are merged (the more specific entry keeps the other's questions as 相似问法). Pure and
 * deterministic: the same document always gives the same entries, in the same order, with the same keys.
 */
import type { Audience, CategoryCode, GeneratedEntry, ParsedDocument, Section } from './types.js';

// ───────────────────────────────────────────── text helpers ─────────────────────────────────────────────

/**
 * Normalises text the way the generator quotes it: full-width digits/letters to ASCII, « » to 《 》, ASCII
 * punctuation next to Chinese to its full-width form, no spaces next to Chinese characters. Idempotent.
 */
export function tidyText(raw: string): string {
  let s = raw.replace(/[\u3000\u00a0\t\r\f\v]/g, ' ');
  s = s.replace(/[０-９Ａ-Ｚａ-ｚ％＊＋]/g, (c) => c.normalize('NFKC'));
  s = s.replace(/«/g, '《').replace(/»/g, '》');
  s = s.replace(/[ \n]*\n[ \n]*/g, '\n').replace(/ +/g, ' ');
  s = s.replace(/ (?=[^\x00-\x7f])/g, '').replace(/(?<=[^\x00-\x7f]) /g, '');
  s = s.replace(/(?<=[^\x00-\x7f]),|,(?=[^\x00-\x7f])/g, '，');
  s = s.replace(/(?<=[^\x00-\x7f]);|;(?=[^\x00-\x7f])/g, '；');
  s = s.replace(/(?<=[^\x00-\x7f])[:：](?![0-9])|(?<![0-9]):(?=[^\x00-\x7f])/g, '：');
  s = s.replace(/(?<=[^\x00-\x7f])\?/g, '？').replace(/(?<=[^\x00-\x7f])!/g, '！');
  s = s.replace(/(?<=[^\x00-\x7f0-9.\n])\.(?![0-9])/g, '。');
  s = s.replace(/\(([^()]*)\)/g, (m, inner: string) => (/[^\x00-\x7f]/.test(inner) ? `（${inner}）` : m));
  return s.trim();
}

/** For comparisons: NFKC, lower case, letters/digits only. */
function normKey(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function bigrams(s: string): Set<string> {
  const n = normKey(s);
  const out = new Set<string>();
  if (n.length === 1) out.add(n);
  for (let i = 0; i + 1 < n.length; i++) out.add(n.slice(i, i + 2));
  return out;
}

/** Character-bigram Jaccard similarity of two questions after normalisation (1 = same). */
export function questionSimilarity(a: string, b: string): number {
  return jaccard(bigrams(a), bigrams(b));
}

/** A similarity function that remembers bigram sets (one per document being finished). */
function similarityWithCache(): (a: string, b: string) => number {
  const cache = new Map<string, Set<string>>();
  const get = (q: string) => {
    let v = cache.get(q);
    if (!v) cache.set(q, (v = bigrams(q)));
    return v;
  };
  return (a, b) => jaccard(get(a), get(b));
}

function jaccard(A: Set<string>, B: Set<string>): number {
  if (A.size === 0 && B.size === 0) return 1;
  let inter = 0;
  for (const x of A) if (B.has(x)) inter++;
  return inter / (A.size + B.size - inter);
}

/** Questions at least this similar are treated as the same question. */
export const NEAR_DUPLICATE = 0.8;

function uniq<T>(xs: T[]): T[] {
  const out: T[] = [];
  for (const x of xs) if (!out.includes(x)) out.push(x);
  return out;
}

function trimPunct(s: string): string {
  return s.replace(/^[\s，、；：。]+|[\s，、；：。！？]+$/g, '');
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/** Drops an unmatched opening or closing quote/bracket from a fragment. */
function balanceQuotes(s: string): string {
  let out = [...s];
  for (const [o, c] of [['“', '”'], ['‘', '’'], ['《', '》'], ['（', '）']] as const) {
    let guard = 0;
    while (count(out.join(''), o) !== count(out.join(''), c) && guard++ < 4) {
      if (count(out.join(''), o) > count(out.join(''), c)) {
        let depth = 0;
        for (let i = out.length - 1; i >= 0; i--) {
          if (out[i] === c) depth++;
          else if (out[i] === o) {
            if (depth === 0) {
              out.splice(i, 1);
              break;
            }
            depth--;
          }
        }
      } else {
        let depth = 0;
        for (let i = 0; i < out.length; i++) {
          if (out[i] === o) depth++;
          else if (out[i] === c) {
            if (depth === 0) {
              out.splice(i, 1);
              break;
            }
            depth--;
          }
        }
      }
    }
  }
  return out.join('');
}

/** Replaces the inside of short quotes, dates and ordinals by □ (same length) so fact patterns skip them. */
function mask(s: string): string {
  let m = s.replace(/[“‘《]([^“”‘’《》]{1,14})[”’》]/g, (all: string, inner: string) => all[0] + '□'.repeat(inner.length) + all[all.length - 1]);
  m = m.replace(/\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日/g, (x) => '□'.repeat(x.length));
  m = m.replace(/(?:第|附件|近)(?:\d+|[一二三四五六七八九十]+)|\d+(?:\.\d+)+版?|[一二三四五六七八九十]+届|十九大|二十大/g, (x) => '□'.repeat(x.length));
  return m;
}

/** “…” around a phrase that may itself contain quotes (inner ones become ‘…’). */
function quoted(s: string): string {
  return `“${s.replace(/“/g, '‘').replace(/”/g, '’')}”`;
}

function formatDate(iso: string | null): string | null {
  if (!iso) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

// ───────────────────────────────────────────── vocabulary ─────────────────────────────────────────────

/** Words that open a clause without a subject (verbs, modals, adverbs, conjunctions). */
const VERB_WORDS = [
  '建立', '建设', '完善', '健全', '加强', '强化', '推进', '推动', '推行', '推出', '推广', '提升', '提高', '优化', '实现', '提供',
  '开展', '组织', '组建', '探索', '拓展', '落实', '执行', '定制', '开发', '设置', '设立', '发挥', '深化', '打造', '构建', '形成',
  '明确', '制定', '研究', '整合', '上线', '集成', '汇聚', '搭建', '升级', '促进', '创新', '扩大', '承接', '部署', '配备', '配置',
  '选派', '委托', '确保', '做好', '做优', '做实', '依托', '围绕', '聚焦', '结合', '按照', '根据', '利用', '运用', '加大', '丰富',
  '融合', '畅通', '规范', '细化', '梳理', '夯实', '支持', '鼓励', '引导', '培养', '挖掘', '招募', '安排', '填写', '报送', '接受',
  '参照', '参加', '参与', '陪同', '帮助', '解答', '收集', '分析', '协调', '上报', '设定', '拓宽', '覆盖', '兼顾', '精简', '简化',
  '压实', '督促', '指导', '统筹', '坚持', '认真', '严格', '力争', '贯彻', '对接', '共享', '归集', '更新', '补充', '核实', '处理',
  '回复', '联系', '整改', '销号', '记录', '宣传', '普及', '解读', '增加', '增强', '发现', '听取', '体验', '体察', '感知', '加快',
  '建成', '实施', '负责', '牵头', '会同', '做到', '达到', '接入', '转派', '派单', '发布', '公布', '审核', '调研', '新增', '全量',
  '持续', '进一步', '不断', '及时', '全面', '积极', '切实', '充分', '大力', '着力', '逐步', '统一', '定期', '主动', '继续', '同步',
  '自动', '应当', '应', '要', '须', '需', '可以', '可', '将', '并', '且', '还', '也', '同时', '原则上', '另外', '此外', '共同',
  '自行', '立即', '予以', '开通', '减少', '缩短', '取消', '保障', '带头', '深入', '亮明', '力戒', '把', '完成', '通过', '或', '以及',
  '每', '采取', '采用', '使用', '至少', '首先', '再', '实行', '提炼', '创建', '立足', '充实', '拟定', '确定', '选取', '选择', '覆盖',
  '集中', '延伸', '扩容', '健全', '激发', '助力', '帮', '解决', '满足', '遵循', '组成', '转至', '转接', '承办', '统计', '重点关注', '关注', '不得', '不搞', '制发', '拟定', '纳入', '科学', '兼顾', '紧密结合', '确认', '签署', '申领', '登录', '进入', '搜索', '上传', '领取', '缴纳', '下载', '拨打', '点选', '选用', '携带',
];
/** Single characters that are verbs only when they do not start a noun (应用, 可信, 要素 …). */
const GUARDED: Record<string, string> = { 应: '应(?![用急对邀])', 可: '可(?![信视持])', 要: '要(?![素点件求])', 将: '将(?![来])', 再: '再(?![生])' };
const VERB_ALT = uniq(VERB_WORDS)
  .sort((a, b) => b.length - a.length)
  .map((w) => GUARDED[w] ?? w)
  .join('|');
const VERB_START_RE = new RegExp(`^(?:${VERB_ALT}|[一二三四五六七八九十]是)`);
/** Verbs that may start a heading ("建立知识库迭代更新机制"). */
const HEADING_VERBS = [
  '建立健全', '建立完善', '健全完善', '全面拓展', '全面提升', '全面推进', '建立', '建设', '完善', '健全', '加强', '强化', '推进',
  '推动', '推行', '提升', '提高', '优化', '部署', '承接', '配备', '配置', '执行', '实施', '开展', '落实', '纳入', '扩大', '创新',
  '夯实', '深化', '拓展', '打造', '构建', '设立', '依托', '加快', '促进', '力戒', '聚焦', '坚持', '发现', '整合', '推出', '搭建',
  '实现', '做好', '切实', '发挥', '规范', '明确', '改进', '严格', '确保', '提供', '鼓励', '支持', '探索', '创建', '设置', '开发', '及时',
  '培育', '持续', '积极', '大力', '进一步', '统一', '筑牢', '守牢', '用好', '抓好', '加大', '促进', '形成', '扩展', '丰富',
];
const HEADING_VERB_RE = new RegExp(`^(?:${uniq(HEADING_VERBS).sort((a, b) => b.length - a.length).join('|')})`);
/** Verbs of a task worth asking "如何…？" about. */
const TASK_VERB_RE = /^(?:(?:持续|全面|进一步|积极|不断|探索)?(?:建立|建设|完善|健全|加强|强化|推进|推动|推行|提升|提高|优化|探索|拓展|深化|打造|构建|设立|设置|搭建|运用|推出|落实|形成|扩大|创新))/;
/** Verbs stripped from "建设X，提供…" to get X. */
const OBJECT_VERB_RE = /^(?:统一建设|定制开发|建设|开发|搭建|打造|建立|设立|设置|上线|推出|构建|组建|部署|升级|完善|优化|强化|推进|依托|深化|持续深化|持续优化|持续)/;
/** Where an actor (subject) ends. */
const SUBJECT_STOP_RE = new RegExp(
  [
    '应当', '应该', '(?<![相响适供对反])应', '(?<![主重需纲摘只必])要(?![求点素件])', '须', '需要', '(?<![必])需', '负责', '(?<![但于就凡即])是',
    '将', '可以', '(?<![许认])可', '不得', '原则上', '每', '牵头', '会同', '根据', '按照', '通过', '作为', '(?<![存所现正实自])在',
    '对于', '(?<![针面相核应])对(?![接象])', '(?<![属关由便易用位等基鉴终至处在对])于', '也要', '统一', '进一步', '不断', '切实', '充分',
    '积极', '主动', '自行', '持续', '已', '均', '共同', '(?<![自理经])由', '提供', '依托', '为第一', '配备', '组织', '结合', '建立',
    '完善', '制定', '推进', '开展', '做好', '加强', '强化', '首先', '及时', '定期', '实现', '达到',
    ...VERB_WORDS.filter((v) => v.length >= 2 && !/^(?:统计|保障|服务|发展|改革|管理|统一|共享|集中|科学)$/.test(v)),
  ].join('|'),
);
/** Modals and copulas: a clause holding one states something (it is not a bare noun phrase). */
const MODAL_RE = /应当|(?<![相响适供对反])应(?![用急对邀])|(?<![主重需纲摘只必])要(?![求点素件])|须|(?<![必])需|将|(?<![许认])可|负责|(?<![但于就凡即])是|不得|原则上/;
/** What an actor (a unit or a role) looks like. */
const ACTOR_RE =
  /(?:办公厅|办公室|府办|热线办|服务办|政务办|中心|局|处|科|室|部门|单位|委|政府|街镇|街道|镇|热线|团队|人员|领导|干部|窗口|机构|各区|成员|主体|大厅|队伍|客服|平台|小申|专席|区长|同志)$/;
const PREPOSITION_RE = /^(?:在|对于|对|针对|于|以|从|由|为|向|与|就|经|随着|当)/;
const QUESTION_WORD_RE = /^(?:多久|多长时间|什么|哪些|哪个|多少|几|最晚)/;
const HOTLINE_TOPIC_RE = /^“?12345|^[^，]{0,6}热线|咨询电话|电话咨询|企业专席|三方通话|热线电话/;
/** A question about the hotline itself (not one that merely mentions it). */
const HOTLINE_QUESTION_RE = /^(?:[^，]{0,12}，)?(?:“?12345|[^，]{0,6}热线|[^，]{0,8}(?:咨询电话|电话咨询))/;
const ENTERPRISE_RE = /企业|惠企|涉企|为企|市场主体|中小微/;
const PEOPLE_RE = /群众|个人|市民|居民|老年|残疾|长者|特殊群体|公民/;

/** Terms worth indexing as keywords when they occur (the domain vocabulary of 一网通办 帮办). */
const DOMAIN_TERMS = [
  '线上专业人工帮办', '线上人工帮办', '线上帮办', '线下帮办', '领导干部帮办', '窗口工作人员', '知识库', '好差评', '小申', '智能客服',
  '12345', '热线', '企业专席', '三方通话', '免申即享', '政策体检', '一件事', '一业一证', '一类事一起办', '一网通办', '随申办', '随申码',
  '企业云', '企业专属空间', '解决率', '接通率', '派单率', '网办率', '首办成功率', '响应', '工作日', '知识图谱', '大模型', '电子证照',
  '电子档案', '数据安全', '远程虚拟窗口', '政务服务中心', '政务服务大厅', '自助终端', '问题清单', '整改清单', '两张清单', '销号管理',
  '绩效考核', '年度评估考核', '营商环境', '惠企政策', '数字化运营平台', '长者专版', '无障碍', '答复口径', '政策文件', '办事指引',
  '志愿者', '帮办点', '在线客服', '客服端', '用户端', '语义分析', '聚类分析', '精准匹配', '政策解读', '诉求', '优先级', '告知承诺',
  '行政许可', '人工智能', '数据共享', '公共数据', '差评', '整改', '考核', '培训', '涉法', '涉诉', '投诉', '老法师', '普小二', '靠普办',
  '帮办制度', '领导班子', '记录表', '法规处', '第一责任人', '帮办',
];

/** Headings that name a part of any plan (指导思想, 主要目标 …). */
const GENERIC_HEADING_RE =
  /^(?:指导思想|总体要求|工作职责|体系架构|帮办范围|主要目标|总体目标|基本原则|工作任务|工作分工|工作任务及分工|主要任务|重点任务|组织保障|工作要求|工作安排|帮办重点|帮办形式|保障措施|工作目标|实施范围|适用范围|工作原则|主要内容|附则|工作机制|职责分工)$/;
/** Sections of slogans: one entry, no facts. */
const BOILERPLATE_HEADING_RE = /^(?:指导思想|总体思路)$/;

// ───────────────────────────────────────────── shapes ─────────────────────────────────────────────

type Kind = 'doc' | 'section' | 'list' | 'item' | 'fact' | 'glossary' | 'dept' | 'table';

interface Candidate {
  key: string;
  kind: Kind;
  category: CategoryCode;
  question: string;
  similar: string[];
  answer: string;
  /** Normalised quoted content, used to find entries that would say the same thing. */
  core: string;
  keywords: string[];
  serviceItem?: string;
  department?: string;
  audience: Audience;
  sourceSection: string;
  order: number;
}

/** Which entry survives a near-duplicate question: the more specific one. */
const PRIORITY: Record<Kind, number> = { table: 7, fact: 6, glossary: 5, dept: 4, list: 4, item: 3, section: 2, doc: 1 };

interface DocContext {
  title: string;
  /** 《title》（文号） */
  label: string;
  /** The title without 实施方案/工作方案/工作要点 …, for questions. */
  topic: string;
  region: string;
  enterpriseDoc: boolean;
  /** Quoted terms that appear almost everywhere (the document's theme, not glossary material). */
  ubiquitous: Set<string>;
  text: string;
}

interface FlatSection {
  section: Section;
  path: string;
  heading: string;
  /** The heading's first part (before "，"), for short questions. */
  shortHeading: string;
  /** The section has no heading: its first clause stands in for one. */
  pseudo: boolean;
  parents: Section[];
  paragraphs: string[];
  /** Responsible units stated for the section: 责任单位 / 牵头单位 / (…负责). */
  units: string[];
  unitRole: string;
  /** The actor of the section's first sentence, when it names one. */
  subject: string | null;
}

type UnitRole = 'plain' | 'lead' | 'item' | 'cont';

interface Unit {
  /** One sentence or ；-clause, without terminal punctuation. */
  text: string;
  /** The actor resolved for this unit (its own, or carried over from an earlier sentence/the section). */
  subject: string | null;
  /** The text starts with a verb/modal, i.e. lacks its own subject. */
  needsSubject: boolean;
  role: UnitRole;
  /** A deadline stated by an earlier sentence of the paragraph ("2022年底前，…。实现…") that still applies. */
  deadline?: string;
  /** For items: the list's lead-in; for continuations: the item's head ("三是上门办"). */
  context?: string;
  list?: number;
}

interface Fact {
  kind: 'time' | 'freq' | 'target' | 'count' | 'deadline' | 'duty' | 'role' | 'transform' | 'list' | 'topic' | 'define';
  questions: string[];
  terms: string[];
  actor?: string;
}

const FACT_ORDER: Fact['kind'][] = ['time', 'freq', 'target', 'count', 'role', 'duty', 'transform', 'list', 'define', 'topic', 'deadline'];

// ───────────────────────────────────────────── document and sections ─────────────────────────────────────────────

function docContext(doc: ParsedDocument, flat: FlatSection[]): DocContext {
  const m = doc.metadata;
  const title = tidyText(m.title || doc.fileName).replace(/^《|》$/g, '');
  const label = `《${title}》${m.docNumber ? `（${m.docNumber}）` : ''}`;
  let topic = title.replace(/(?:的)?(?:实施方案|工作方案|工作要点|实施意见|实施细则|管理办法|方案|要点|意见|通知|办法)$/, '');
  if (topic.length < 4) topic = title;
  const counts = new Map<string, number>();
  for (const f of flat) {
    const seen = new Set<string>();
    for (const q of (f.heading + f.paragraphs.join('')).matchAll(/“([^“”]{1,12})”/g)) seen.add(q[1]);
    for (const q of seen) counts.set(q, (counts.get(q) ?? 0) + 1);
  }
  const ubiquitous = new Set<string>(['一网通办']);
  const n = Math.max(1, flat.length);
  for (const [q, c] of [...counts.entries()].sort()) if (c / n > 0.35 && c >= 4) ubiquitous.add(q);
  return {
    title,
    label,
    topic,
    region: m.region || '',
    enterpriseDoc: /为企|惠企|涉企/.test(title),
    ubiquitous,
    text: tidyText(doc.text || ''),
  };
}

const NOTE_RE = /[（(]\s*(责任单位|牵头单位|责任部门|牵头部门|主办单位|责任处室|配合单位)\s*[：:]\s*([^（）()]*?)\s*[）)]/g;
const NOTE_RESP_RE = /[（(]([^（）()：:。，]{2,80}?)负责[）)]/g;

/** Removes responsibility notes from a paragraph, returning the units they name. */
function stripNotes(p: string): { text: string; units: string[]; role: string | null } {
  const units: string[] = [];
  let role: string | null = null;
  let text = p.replace(NOTE_RE, (_all, r: string, list: string) => {
    role = role ?? r;
    units.push(...list.split(/[、，,；]/).map((x) => x.trim()).filter(Boolean));
    return '';
  });
  text = text.replace(NOTE_RESP_RE, (_all, list: string) => {
    role = role ?? '责任单位';
    units.push(...list.split(/[、，,；]/).map((x) => x.trim()).filter(Boolean));
    return '';
  });
  return { text: text.trim(), units, role };
}

/** A heading that is a whole sentence: "配置线上帮办人员：有关业务部门应…" → heading + body. */
function splitLongHeading(heading: string): { heading: string; body: string | null } {
  const h = trimPunct(heading);
  if (h.length <= 40) return { heading: h, body: null };
  const m = /^(.{2,30}?)[。：]/.exec(h);
  if (m) return { heading: m[1], body: h.slice(m[0].length) };
  return { heading: '', body: h };
}

function isBoilerplateParagraph(p: string): boolean {
  const t = p.trim();
  if (!t) return true;
  if (/^(?:信息来源|抄送|主题词|联系人|联系电话)[：:]?/.test(t)) return true;
  if (/^附件[：:]/.test(t)) return true;
  if (/^[（(]?此件公开发布[）)]?$/.test(t)) return true;
  if (/印发$/.test(t) && /\d{4}年\d{1,2}月\d{1,2}日/.test(t) && t.length < 60) return true;
  if (/^(?:本|此)(?:实施)?(?:方案|办法|意见|要点|通知|细则)自.{0,10}(?:施行|实施)。?$/.test(t)) return true;
  if (/^特此通知。?$/.test(t)) return true;
  return false;
}

function flatten(outline: Section[]): FlatSection[] {
  const out: FlatSection[] = [];
  const walk = (s: Section, parents: Section[]) => {
    const split = splitLongHeading(tidyText(s.heading || ''));
    const raw: string[] = [];
    if (split.body) raw.push(split.body);
    for (const p of s.paragraphs) {
      const t = tidyText(p);
      if (t) raw.push(t);
    }
    const units: string[] = [];
    let role: string | null = null;
    const clean: string[] = [];
    let annexList = false;
    for (const p of raw) {
      const r = stripNotes(p);
      units.push(...r.units);
      role = role ?? r.role;
      if (/^附件[：:]/.test(r.text)) annexList = true;
      // the list of annexes at the end of the body ("附件：1.xxx" "2.yyy")
      if (annexList && /^\d+\s*[.．、]/.test(r.text) && !/[，。；]/.test(r.text)) continue;
      if (r.text) clean.push(r.text);
    }
    const paragraphs = clean.filter((p) => !isBoilerplateParagraph(p));
    let heading = split.heading;
    let pseudo = false;
    if (!heading && s.path !== '' && paragraphs.length && !/^附件/.test(s.marker)) {
      const first = /^[^，。；：]{2,40}(?=[，。；：]|$)/.exec(paragraphs[0]);
      if (first) {
        heading = first[0];
        pseudo = true;
      }
    }
    // a heading that is the whole content (the body is only a responsibility note)
    if (!paragraphs.length && !s.children.length && split.heading.length > 12 && /[，、]/.test(split.heading)) {
      paragraphs.push(`${split.heading}。`);
    }
    out.push({
      section: s,
      path: s.path,
      heading,
      shortHeading: heading.split(/[，；]/)[0] || heading,
      pseudo,
      parents,
      paragraphs,
      units: uniq(units),
      unitRole: role ?? '责任单位',
      subject: null,
    });
    for (const c of s.children) walk(c, [...parents, s]);
  };
  for (const s of outline) walk(s, []);
  for (const f of out) f.subject = sectionSubject(f);
  return out;
}

function sectionSubject(f: FlatSection): string | null {
  const first = f.paragraphs[0];
  if (!first) return null;
  const unit = splitUnits(first)[0];
  if (!unit) return null;
  const subj = subjectOf(firstClause(unit));
  return subj && ACTOR_RE.test(subj) ? subj : null;
}

// ───────────────────────────────────────────── sentences and clauses ─────────────────────────────────────────────

/** Sentences (。！？) and ；-clauses of a paragraph, without terminal punctuation; "…：一是" starts a new unit. */
function splitUnits(p: string): string[] {
  const out: string[] = [];
  const marked = p.replace(/：(?=[一二三四五六七八九十]是)/g, '：\u0001');
  for (const sentence of marked.split(/(?<=[。！？])|\u0001/)) {
    for (const clause of sentence.split(/；/)) {
      const t = trimPunct(clause.replace(/^——+/, ''));
      if (t.length >= 4) out.push(t);
    }
  }
  return out;
}

interface Clause {
  text: string;
  start: number;
}

/** Splits a unit at ， and ： outside short quotes. */
function splitClauses(u: string): Clause[] {
  const m = mask(u);
  const out: Clause[] = [];
  let start = 0;
  for (let i = 0; i < m.length; i++) {
    if (m[i] === '，' || m[i] === '：') {
      if (i > start) out.push({ text: u.slice(start, i), start });
      start = i + 1;
    }
  }
  if (start < u.length) out.push({ text: u.slice(start), start });
  return out.filter((c) => c.text.trim().length > 0);
}

function firstClause(u: string): string {
  return splitClauses(u)[0]?.text ?? u;
}

function startsWithVerb(s: string): boolean {
  return VERB_START_RE.test(s.replace(/^[“‘]/, ''));
}

/** The actor or topic at the start of a clause ("区行政服务中心应…" → 区行政服务中心), if it has one. */
function subjectOf(clause: string): string | null {
  const c = clause.trim();
  if (!c || startsWithVerb(c) || PREPOSITION_RE.test(c) || /^\d/.test(c) || QUESTION_WORD_RE.test(c)) return null;
  const m = mask(c);
  const stop = SUBJECT_STOP_RE.exec(m.slice(2));
  let subj = stop ? c.slice(0, stop.index + 2) : c;
  subj = subj.replace(/(?:也|均|都|还|主要|具体)$/, '');
  subj = subj.replace(/[（(]以下(?:简称|统称)[^）)]*[）)]/g, '');
  if (subj.length < 2 || subj.length > 50 || /[，。；]/.test(subj)) return null;
  return balanceQuotes(subj);
}

/** The unit named at the start of a clause that goes on with a verb ("有关业务部门制发…" → 有关业务部门). */
function actorPrefix(clause: string): string | null {
  for (let k = 3; k <= Math.min(clause.length - 1, 30); k++) {
    const head = clause.slice(0, k);
    if (ACTOR_RE.test(head) && !startsWithVerb(head) && !PREPOSITION_RE.test(head) && startsWithVerb(clause.slice(k))) return head;
  }
  return null;
}

/** What a clause builds ("区政务服务中心要建设统一受理平台" / "定制开发我区…平台" → the platform), if it says. */
function objectOf(clause: string): string | null {
  let rest = clause;
  const subj = subjectOf(clause);
  if (subj) rest = rest.slice(subj.length);
  rest = rest.replace(/^(?:也|还)?(?:应当|应|要|须|需|将|可)/, '');
  if (!OBJECT_VERB_RE.test(rest)) return null;
  const obj = rest.replace(OBJECT_VERB_RE, '');
  return obj.length >= 2 && !/^(?:应|要|将|并|和)/.test(obj) ? obj : null;
}

function isActor(s: string | null | undefined): s is string {
  return !!s && (ACTOR_RE.test(s) || /^“[^”]{1,12}”$/.test(s));
}

/** Units of a section with actors resolved and 一是/二是 lists marked. */
function sectionUnits(f: FlatSection): Unit[] {
  const out: Unit[] = [];
  let listNo = 0;
  for (const p of f.paragraphs) {
    const texts = splitUnits(p);
    let carried: string | null = null;
    let lead: string | null = null;
    let itemHead: string | null = null;
    let deadline: string | null = null;
    texts.forEach((text, k) => {
      const head = firstClause(text);
      const own = subjectOf(head);
      const needsSubject = !own && startsWithVerb(head);
      if (own && ACTOR_RE.test(own)) carried = own;
      const u: Unit = { text, subject: own ?? carried ?? f.subject, needsSubject, role: 'plain' };
      const dl = DEADLINE_RE.exec(head);
      if (dl && dl.index === 0 && /前$/.test(dl[0])) deadline = dl[0];
      else if (deadline && !/\d{4}年/.test(text)) u.deadline = deadline;
      const next = texts[k + 1];
      if (next && /^一是/.test(next) && !/^[一二三四五六七八九十]是/.test(text)) {
        u.role = 'lead';
        lead = text;
        itemHead = null;
        listNo++;
        u.list = listNo;
      } else if (/^[一二三四五六七八九十]是/.test(text)) {
        if (lead === null || /^一是/.test(text) && itemHead !== null) {
          // a list without a lead-in sentence: the heading introduces it
          if (lead === null || /^一是/.test(text)) {
            listNo++;
            lead = lead === null ? '' : lead;
          }
        }
        u.role = 'item';
        u.context = lead ?? '';
        u.list = listNo;
        itemHead = trimPunct(head);
      } else if (itemHead) {
        u.role = 'cont';
        u.context = itemHead;
        u.list = listNo;
      }
      out.push(u);
    });
  }
  return out;
}

/** The unit with its actor written out when it starts with a verb. */
function withSubject(u: Unit): string {
  if (u.needsSubject && u.subject && !u.text.startsWith(u.subject)) return u.subject + u.text;
  return u.text;
}

// ───────────────────────────────────────────── question helpers ─────────────────────────────────────────────

function cleanQuestion(q: string): string {
  let s = q.replace(/[（(](?:附件\d*|详见附件|见附件\d*)[）)]/g, '');
  s = s.replace(/^(?:——|并且|并|且|同时|另外|此外|其中|以及|[一二三四五六七八九十]是)/, '');
  s = s.replace(/^(?:实现|确保|力争|推进实现)(?=[“\p{Script=Han}])/u, '');
  s = balanceQuotes(trimPunct(s)).replace(/[，、：]+$/, '');
  return s ? `${s}？` : '';
}

function stem(q: string): string {
  return trimPunct(q).replace(/[？?]+$/, '');
}

/** Rewrites a question with common synonyms (多久/多长时间, 怎么/如何, 什么/哪些 …). */
function synonymVariants(q: string): string[] {
  const rules: Array<[RegExp, string]> = [
    [/多长时间内/, '多久内'],
    [/多长时间/, '多久'],
    [/多久/, '多长时间'],
    [/如何/, '怎么'],
    [/怎么/, '怎样'],
    [/是怎样的/, '有什么要求'],
    [/有哪些/, '包括哪些'],
    [/包括哪些/, '都有什么'],
    [/哪些/, '什么'],
    [/是什么？$/, '指的是什么？'],
    [/由谁负责/, '由哪个部门负责'],
    [/是谁？$/, '是哪个部门？'],
    [/要达到多少/, '的目标是多少'],
    [/的目标是多少/, '要达到多少'],
    [/多少个/, '几个'],
    [/多少项/, '几项'],
    [/几个/, '多少个'],
    [/什么时候/, '何时'],
    [/不得高于多少/, '最高是多少'],
    [/不超过多少/, '最多是多少'],
  ];
  const out: string[] = [];
  for (const [re, rep] of rules) {
    if (re.test(q)) {
      const v = q.replace(re, rep);
      if (v !== q) out.push(v);
    }
  }
  return out;
}

/** Ways to ask anything, used only when an entry has too few 相似问法. */
function genericVariants(q: string, ctx: DocContext): string[] {
  const core = stem(q);
  return [`请问${core}？`, `${core}，具体是怎么规定的？`, `${ctx.topic}：${core}？`];
}

/** Questions a person asks about a heading ("建立知识库迭代更新机制" → "知识库迭代更新机制是怎样的？"). */
function headingQuestions(heading: string, parent: string | null, ctx: DocContext, hasChildrenOnly = false): string[] {
  const h = trimPunct(heading).replace(/^[（(][^）)]*[）)]/, '');
  if (!h) return [];
  const parts = h.split(/[，；]/).map(trimPunct).filter((x) => x.length >= 2);
  const out: string[] = [];
  const one = (p: string, primary: boolean) => {
    let m: RegExpExecArray | null;
    if (/的$/.test(p) && p.length >= 5) {
      out.push(`${p}怎么办？`, `${p}，应该如何办理？`, `${p}有什么规定？`);
      return;
    }
    if ((m = /^(?:多种|多)形式(?:开展)?(.+)$/.exec(p))) {
      out.push(`${m[1]}有哪些形式？`, `${m[1]}有哪几种形式？`, `怎样以多种形式开展${m[1]}？`);
      return;
    }
    if ((m = /^聚焦重点开展(.+)$/.exec(p))) {
      out.push(`${m[1]}聚焦哪些重点？`, `${m[1]}的重点是什么？`);
      return;
    }
    if ((m = /^分类分级(?:开展)?(.+)$/.exec(p))) {
      out.push(`如何分类分级开展${m[1]}？`, `${m[1]}怎么分类分级？`);
      return;
    }
    if (GENERIC_HEADING_RE.test(p)) {
      if (parent && !GENERIC_HEADING_RE.test(parent) && parent.length <= 16) out.push(`${parent}的${p}是什么？`, `${p}是什么？`, `${parent}的${p}包括哪些内容？`);
      else out.push(`${p}是什么？`, `${ctx.topic}的${p}是什么？`, `${p}包括哪些内容？`);
      return;
    }
    const verb = HEADING_VERB_RE.exec(p);
    if (verb && p.length > verb[0].length + 1) {
      const obj = p.slice(verb[0].length).replace(/^(?:和|与|及)/, '');
      if (/(?:机制|制度|体系|标准|规范|流程|模式|平台|清单)$/.test(obj) && primary) out.push(`${obj}是怎样的？`, `如何${p}？`);
      else out.push(`如何${p}？`, `${obj}有哪些要求？`);
      out.push(`怎样${p}？`);
      return;
    }
    if (parent && /^(?:主要目标|总体目标|工作目标|主要任务|重点任务|工作任务|工作安排|体系架构|工作任务及分工)$/.test(parent) && p.length <= 12) {
      const pn = parent.replace(/及分工$/, '');
      out.push(`${p}的${pn}是什么？`, `${p}方面的${pn}有哪些？`, `${p}是怎样的？`);
      return;
    }
    const subj = subjectOf(p);
    if (subj && subj.length < p.length && startsWithVerb(p.slice(subj.length))) out.push(`${p}是怎么规定的？`, `关于${p}，有什么规定？`);
    else if (hasChildrenOnly) out.push(`${p}包括哪些方面？`, `什么是${p}？`, `${p}是怎样的？`);
    else out.push(`什么是${p}？`, `${p}是怎样的？`, `${p}包括哪些内容？`);
  };
  parts.forEach((p, i) => one(p, i === 0));
  if (parts.length > 1) out.push(`如何${parts.join('，')}？`);
  return uniq(out.map((q) => q.replace(/\s+/g, '')));
}

/** Questions for a section without a heading, from its first clause ("老年人行动不便的" → "老年人行动不便的怎么办？"). */
function clauseHeadingQuestions(clause: string, ctx: DocContext): string[] {
  const c = trimPunct(clause);
  if (/的$/.test(c)) return [`${c}怎么办？`, `${c}，应该如何办理？`, `${c}有什么规定？`];
  if (/(?:后|时|前)$/.test(c)) return [`${c}会怎么处理？`, `${c}，有什么规定？`];
  if (HEADING_VERB_RE.test(c) || startsWithVerb(c)) return headingQuestions(c, null, ctx);
  const subj = subjectOf(c);
  if (subj && subj.length < c.length) return [`${c}是怎么规定的？`, `关于${c}，有什么规定？`];
  return [`什么是${c}？`, `${c}是怎样的？`, `${c}包括哪些内容？`];
}

// ───────────────────────────────────────────── fact extraction ─────────────────────────────────────────────

const CN_NUM = '[一二两三四五六七八九十百半]+';
const NUM = `(?:\\d+(?:\\.\\d+)?|${CN_NUM})`;
const DUR_SRC = `(${NUM})(个工作日|工作日|个自然日|自然日|个小时|小时|分钟|个星期|星期|个月|周|天|日(?=内|以内|之内)|年(?=内|以内|之内))`;
const FREQ_RE = /每(?:人)?(?:每)?(半年|季度|年度|年|月|周|星期|天|日)(?:至少|定期|都|均)?/g;
const PCT_RE = /(\d+(?:\.\d+)?)\s*%/g;
const COUNT_RE = /(\d+|[两三四五六七八九十]+)(个|项|种|类|家|条|批|名|位|张|支|场|所|套|款|件)(?!工作日|月|星期|小时|自然日|次)/g;
const DEADLINE_RE = /(\d{4})年(?:底|年底|内|上半年|下半年)?(?:前|以前|起)/;
const SERVICE_HOURS_RE = /7\s*[*×xX]\s*24\s*小时/;
const TARGET_VERB_RE = /(?:原则上)?(?:要|应|须)?(?:达到|不低于|不少于|不高于|不得高于|不超过|不得超过|超过|低于|提升至|提高到|提升到|提高至|达)$/;

interface FactContext {
  unit: Unit;
  clauses: Clause[];
  f: FlatSection;
  ctx: DocContext;
}

/** Is this clause a short topic ("对…的问题" "在工作时段") rather than a statement? */
function isTopicClause(t: string): boolean {
  return /^(?:对于|对|针对|在)/.test(t) && t.length <= 20 && !/(?:应|要|将|须|可)/.test(t);
}

/** Is this clause a short noun phrase that the next clause talks about ("未能解答的咨询，应当…")? */
function isNounTopic(t: string): boolean {
  return t.length >= 2 && t.length <= 16 && !startsWithVerb(t) && !PREPOSITION_RE.test(t) && !MODAL_RE.test(mask(t).slice(2)) && !/\d/.test(t);
}

/** Adds what a question built from clause i needs to stand alone: the deadline, the 对… topic, the actor. */
function questionPrefix(fc: FactContext, i: number, bodyIn: string, hasSubject = false): string {
  let body = bodyIn.replace(/^(?:实现|确保|力争|并)(?=[“\p{Script=Han}])/u, '');
  const parts: string[] = [];
  const cl = fc.clauses;
  if (i > 0 && DEADLINE_RE.test(cl[0].text) && cl[0].text.length <= 10 && !body.includes(cl[0].text)) parts.push(cl[0].text);
  else if (fc.unit.deadline && /多少|几|多长时间|多久/.test(body)) parts.push(fc.unit.deadline);
  const topicIdx = cl.findIndex((c, j) => j < i && isTopicClause(c.text));
  if (topicIdx >= 0 && !body.includes(cl[topicIdx].text)) parts.push(cl[topicIdx].text);
  // "于…之日起3个工作日内报送…" says when to send what the previous clause made ("填写《…记录表》")
  if (/^于/.test(body) && i > 0 && startsWithVerb(cl[i - 1].text.replace(/^并/, ''))) body = `${cl[i - 1].text.replace(/^并/, '')}，${body}`;
  const needsActor = !hasSubject && (startsWithVerb(body) || QUESTION_WORD_RE.test(body) || /^(?:以|通过|按照|根据)/.test(body));
  if (needsActor) {
    let actor: string | null = null;
    if (i > 0 && isNounTopic(cl[i - 1].text) && !parts.includes(cl[i - 1].text)) actor = cl[i - 1].text;
    for (let j = i - 1; j >= 0 && !actor; j--) {
      const s = subjectOf(cl[j].text);
      if (isActor(s)) actor = s;
      else actor = actorPrefix(cl[j].text);
    }
    if (!actor && isActor(fc.unit.subject)) actor = fc.unit.subject;
    if (actor && !body.startsWith(actor) && !parts.some((p) => p.includes(actor!))) body = actor + body;
  }
  return (parts.length ? parts.join('，') + '，' : '') + body;
}

/** Clause i, extended by the next clause when the question word ends it ("在多长时间内，将…补充至知识库"). */
function withNextClause(cl: Clause[], i: number, replaced: string): string {
  if (/(?:多长时间内|多久|什么时候|多长时间)$/.test(replaced) && cl[i + 1]) {
    const next = cl[i + 1].text;
    return replaced + (/^将/.test(next) ? '要' : '') + next;
  }
  return replaced;
}

/** When the fact is inside a long quotation that opens in this clause, ask about the quoted part only. */
function cutToQuote(clause: string, index: number): { text: string; offset: number } {
  const open = clause.lastIndexOf('“', index);
  const close = clause.lastIndexOf('”', index);
  if (open >= 0 && open > close && open < index) {
    const rest = clause.slice(open + 1);
    const end = rest.indexOf('”');
    return { text: end >= 0 ? rest.slice(0, end) : rest, offset: open + 1 };
  }
  return { text: clause, offset: 0 };
}

/** Segments of a clause split at 、 (outside short quotes), with their offsets. */
function segments(text: string): Clause[] {
  const m = mask(text);
  const out: Clause[] = [];
  let start = 0;
  for (let i = 0; i <= m.length; i++) {
    if (i === m.length || m[i] === '、') {
      out.push({ text: text.slice(start, i), start });
      start = i + 1;
    }
  }
  return out;
}

function durationFacts(fc: FactContext, i: number, text: string, masked: string): Fact[] {
  const out: Fact[] = [];
  const re = new RegExp(DUR_SRC, 'g');
  const matches = [...masked.matchAll(re)].filter((m) => !/^\d{4,}$/.test(m[1]));
  if (!matches.length) return out;
  // several durations listed with 、 ("一般事项在5个工作日、复杂事项在13个工作日内完成整改"): one question each
  const segs = segments(text);
  const withDur = segs.filter((s) => matches.some((m) => m.index! >= s.start && m.index! < s.start + s.text.length));
  const lastSeg = withDur[withDur.length - 1];
  const lastMatch = matches[matches.length - 1];
  const tail = text.slice(lastMatch.index! + lastMatch[0].length);
  for (const m of matches) {
    let work = text;
    let a = m.index!;
    const own = segs.find((s) => a >= s.start && a < s.start + s.text.length)!;
    if (withDur.length >= 2) {
      work = own !== lastSeg ? own.text + tail : own.text;
      a = a - own.start;
    } else if (segs.length >= 2 && segs.some((s) => s !== own && /\d/.test(s.text))) {
      // "实现1分钟响应、90%解决率": ask about this segment only
      work = own.text;
      a = a - own.start;
    }
    const q = cutToQuote(work, a);
    const txt = q.text;
    const aa = a - q.offset;
    const bb = aa + m[0].length;
    let before = txt.slice(0, aa);
    let after = txt.slice(bb);
    let qw = '多长时间';
    if (/前$/.test(before)) {
      qw = '多久';
      before = before.replace(/^在/, '');
    } else if (/^(?:内|以内|之内)/.test(after)) {
      qw = '多长时间内';
      after = after.replace(/^(?:内|以内|之内)/, '');
    }
    const replaced = withNextClause(fc.clauses, i, before + qw + after);
    const question = cleanQuestion(questionPrefix(fc, i, replaced));
    const unitWord = m[2];
    const qs = [question];
    const swap = (to: string) => question.replace(/多长时间内|多长时间|多久/, to);
    if (/工作日/.test(unitWord)) qs.push(swap(qw === '多久' ? '几个工作日' : '几个工作日内'));
    else if (/月/.test(unitWord)) qs.push(swap('几个月'));
    else if (/分钟/.test(unitWord)) qs.push(swap('几分钟内'));
    else if (/星期|周|天|日/.test(unitWord)) qs.push(swap('几天'));
    out.push({ kind: 'time', questions: qs, terms: [`${m[1]}${unitWord}`] });
  }
  return out;
}

function extractFacts(fc: FactContext): Fact[] {
  const facts: Fact[] = [];
  const { clauses } = fc;
  const unitText = fc.unit.text;
  const maskedUnit = mask(unitText);

  clauses.forEach((c, i) => {
    let cm = maskedUnit.slice(c.start, c.start + c.text.length);
    // ── service hours (7*24)
    const sh = SERVICE_HOURS_RE.exec(c.text);
    if (sh) {
      const before = c.text.slice(0, sh.index);
      const inParens = /（[^）]*$/.test(before);
      const body = inParens ? '' : before + '什么时段的' + c.text.slice(sh.index + sh[0].length).replace(/^的/, '');
      const named = /(“[^”]+”[^，（“]{0,8})（[^）]*$/.exec(before)?.[1];
      const actor = named ?? subjectOf(c.text) ?? fc.unit.subject;
      const qs = body ? [cleanQuestion(questionPrefix(fc, i, body))] : [];
      if (isActor(actor) || named) {
        if (!qs.length || normKey(qs[0]).length < 12) qs.unshift(`${actor}的服务时间是怎样的？`);
        else qs.push(`${actor}的服务时间是怎样的？`);
        qs.push(`${actor}是24小时服务吗？`);
      }
      facts.push({ kind: 'time', questions: qs, terms: ['7*24小时'] });
      cm = cm.slice(0, sh.index) + '□'.repeat(sh[0].length) + cm.slice(sh.index + sh[0].length);
    }
    // ── relative days ("在下一个工作日回复", "当日办结")
    const rel = /(?:在)?(下一个工作日|下个工作日|次一工作日|次日|当日|当天)(?:内)?/.exec(c.text);
    if (rel) {
      const body = c.text.slice(0, rel.index) + '什么时候' + c.text.slice(rel.index + rel[0].length);
      facts.push({ kind: 'time', questions: [cleanQuestion(questionPrefix(fc, i, body))], terms: [rel[1]] });
      cm = cm.slice(0, rel.index) + '□'.repeat(rel[0].length) + cm.slice(rel.index + rel[0].length);
    }
    // ── durations
    facts.push(...durationFacts(fc, i, c.text, cm));
    // ── clock time ("工作日10:00前")
    const clock = /(?:工作日)?\d{1,2}[:：]\d{2}(?:前|之前)/.exec(c.text);
    if (clock) {
      const body = c.text.slice(0, clock.index) + '最晚什么时候' + c.text.slice(clock.index + clock[0].length);
      facts.push({ kind: 'time', questions: [cleanQuestion(questionPrefix(fc, i, body))], terms: [clock[0]] });
    }
    // ── frequencies ("每半年", "每人每年至少开展一次")
    for (const m of cm.matchAll(FREQ_RE)) {
      const a = m.index!;
      let body = c.text.slice(0, a) + '多久' + c.text.slice(a + m[0].length);
      body = body.replace(/多久(应|要)?(开展|参加|进行|组织)(?:1|一)次/, '多久$1$2一次');
      const qs = [cleanQuestion(questionPrefix(fc, i, body))];
      if (/至少(?:应|要)?(?:开展|参加|进行|组织)(?:1|一)次/.test(c.text)) {
        qs.push(cleanQuestion(questionPrefix(fc, i, c.text.replace(/(至少(?:应|要)?(?:开展|参加|进行|组织))(?:1|一)次/, '$1几次'))));
      }
      facts.push({ kind: 'freq', questions: qs, terms: [m[0].replace(/至少|定期|都|均/g, '')] });
    }
    // ── percentages
    for (const m of cm.matchAll(PCT_RE)) {
      const a = m.index!;
      const q = cutToQuote(c.text, a);
      const txt = q.text;
      const aa = a - q.offset;
      const bb = aa + m[0].length;
      const seg = segments(txt).find((s) => aa >= s.start && aa < s.start + s.text.length) ?? { text: txt, start: 0 };
      const pre = txt.slice(seg.start, aa);
      const post = txt.slice(bb, seg.start + seg.text.length).replace(/[”’].*$/, '');
      if (/^的/.test(post)) continue; // "占…75%的高频事项": a modifier, not a target
      let metric = pre;
      let verb = '';
      const vm = TARGET_VERB_RE.exec(pre);
      if (vm) {
        verb = vm[0];
        metric = pre.slice(0, vm.index);
      }
      metric = metric.replace(/^(?:实现|确保|力争|推进|使|并)/, '');
      let owner = '';
      if (!normKey(metric) && post) {
        // "…实现1分钟响应、90%解决率": the metric follows the number; its owner starts the clause
        metric = post;
        owner = subjectOf(c.text) ?? '';
        for (let j = i - 1; j >= 0 && !owner; j--) owner = subjectOf(clauses[j].text) ?? '';
      }
      metric = balanceQuotes(metric);
      if (!normKey(metric)) continue;
      const modal = /(?:要|应|须|原则上)$/.test(metric) || /^(?:原则上|要|应|须)/.test(verb);
      const bare = verb.replace(/^(?:原则上)?(?:要|应|须)?/, '');
      const tail = !verb ? '的目标是多少' : /^(?:不|低于|超过)/.test(bare) ? `${verb}多少` : `${modal ? '' : '要'}${verb}多少`;
      let body = metric + tail;
      if (owner && !metric.startsWith(owner)) body = owner + metric + (verb ? tail : '要达到多少');
      else if (normKey(metric).length <= 3) {
        // "接通率原则上要达到90%": say whose rate it is
        const prev = i > 0 ? clauses[i - 1].text : '';
        const s = prev ? subjectOf(prev) : null;
        if (s && s !== prev && isActor(s)) body = s + body;
        else if (prev && prev.length <= 30) body = `${prev}，${body}`;
        else if (isActor(fc.unit.subject)) body = fc.unit.subject + body;
      }
      const question = cleanQuestion(questionPrefix(fc, i, body));
      const plainMetric = metric.replace(/(?:原则上)?(?:要|应)$/, '').replace(/原则上/, '');
      const plain = normKey(plainMetric).length > 3 ? cleanQuestion(`${plainMetric}的要求是多少`) : '';
      facts.push({ kind: 'target', questions: [question, plain].filter(Boolean), terms: [`${m[1]}%`] });
    }
    // ── counts ("7个高频企业和个人事项", "新增5项、优化24项")
    const counts = [...cm.matchAll(COUNT_RE)].filter((m) => {
      const before = cm.slice(Math.max(0, m.index! - 1), m.index!);
      if (/[第\d.□]/.test(before)) return false;
      // "…、自助终端5种渠道": the count closes an enumeration, the list question asks it better
      if (/、/.test(cm.slice(0, m.index!)) && !/、/.test(cm.slice(m.index!)) && !/\d/.test(cm.slice(0, m.index!))) return false;
      return true;
    });
    if (counts.length) {
      let body = '';
      let last = 0;
      for (const m of counts) {
        body += c.text.slice(last, m.index!) + (/^\d+$/.test(m[1]) ? '多少' : '几') + m[2];
        last = m.index! + m[0].length;
      }
      body += c.text.slice(last);
      const q = cleanQuestion(questionPrefix(fc, i, body));
      facts.push({ kind: 'count', questions: uniq([q, q.replace(/多少(?=[个项种类])/, '几').replace(/几(?=[个项种类])/, '多少')]), terms: counts.map((m) => m[0]) });
    }
    // ── duty: "X负责Y" / "由X负责Y"
    const dutyIdx = c.text.search(/负责(?!人)/);
    if (dutyIdx >= 0) {
      const y = trimPunct(c.text.slice(dutyIdx + 2));
      const byM = /^(.*?)由(.{2,40}?)负责/.exec(c.text);
      let x: string | null = null;
      let topic = '';
      if (byM) {
        x = byM[2];
        topic = trimPunct(byM[1]);
      } else {
        const own = c.text.slice(0, dutyIdx).replace(/(?:主要|具体|要|应|应当|也|均|是)+$/, '');
        x = own && !startsWithVerb(own) && !PREPOSITION_RE.test(own) ? own : null;
        if (!x) {
          for (let j = i - 1; j >= 0 && !x; j--) x = subjectOf(clauses[j].text);
          x = x ?? fc.unit.subject;
        }
      }
      if (!topic && i > 0 && isNounTopic(clauses[0].text) && clauses[0].text !== x) topic = clauses[0].text;
      if (y.length >= 2 && y.length <= 60 && x && ACTOR_RE.test(x)) {
        const q1 = topic ? cleanQuestion(`${topic}由谁负责${y}`) : cleanQuestion(`谁负责${y}`);
        const q2 = cleanQuestion(`${topic}${y}由哪个部门负责`);
        const q3 = cleanQuestion(`${x}负责什么工作`);
        facts.push({ kind: 'duty', questions: uniq([q1, q2, q3]), terms: [x], actor: x });
      }
    }
    // ── role: "X是Y的牵头部门" / "X作为Y的责任单位" / "X为第一责任人"
    const role = /^(.{2,120}?)(?:是|作为)(.{2,40}?)的(牵头部门|落实部门|责任单位|责任部门|主管部门|实施主体|第一责任人)/.exec(c.text);
    if (role) {
      const x = role[1].replace(/[（(]以下(?:简称|统称)[^）)]*[）)]/g, '');
      const y = role[2];
      const r = role[3];
      facts.push({
        kind: 'role',
        questions: uniq([cleanQuestion(`${y}的${r}是谁`), cleanQuestion(`谁是${y}的${r}`), cleanQuestion(`哪些单位是${y}的${r}`)]),
        terms: [r, ...x.split('、').slice(0, 2)],
        actor: x,
      });
    } else {
      const first = /^(.{2,30}?)(?:要|应)?(?:作为|为|是)第一责任人/.exec(c.text);
      if (first) {
        const topic = i > 0 ? clauses[i - 1].text : fc.f.shortHeading;
        facts.push({
          kind: 'role',
          questions: uniq([cleanQuestion(`${topic}的第一责任人是谁`), cleanQuestion(`谁是${topic}的第一责任人`)]),
          terms: ['第一责任人'],
          actor: first[1],
        });
      }
    }
    // ── transformation: "由“找我办”提升为“帮你办”"
    const tr = /(由|从)(“?[^，。；]{1,24}?”?)(提升|转变|转化|变)为(“?[^，。；]{1,24}”?)/.exec(c.text);
    if (tr) {
      const actor = [subjectOf(c.text), subjectOf(clauses[0].text), fc.unit.subject].find(isActor) ?? '';
      facts.push({
        kind: 'transform',
        questions: uniq([
          cleanQuestion(`${actor}要${tr[1]}什么${tr[3]}为什么`),
          cleanQuestion(`${actor}要${tr[1]}${tr[2]}${tr[3]}为什么`),
          cleanQuestion(`${actor}的服务方式要怎样转变`),
        ]),
        terms: [tr[2].replace(/[“”]/g, ''), tr[4].replace(/[“”]/g, '')],
      });
    }
    // ── enumerations "A、B、C等X" → "哪些X"
    if (!(i === 0 && /^(?:对于|对|针对)/.test(c.text)) && !/^(?:以及|及|和|并|或)/.test(c.text)) {
      const en = enumeration(c.text, i + 1 < clauses.length);
      if (en) {
        let body = en.question;
        let hasSubject = en.subjectList;
        if (en.subjectList) {
          // "帮办工作开展情况、服务成效…等方面工作，纳入…考核" → "哪些方面工作纳入…考核"
          const rest = clauses.slice(i + 1).map((x) => x.text).join('，');
          if (rest) body = `${en.question}${rest}`;
        } else if (/[后时]$/.test(en.question) && clauses[i + 1]) {
          body = `${en.question}，${clauses[i + 1].text}`;
        } else if (/^(?:围绕|聚焦|针对|依托)$/.test(en.prefix) && en.endsClause && clauses[i + 1]) {
          // "围绕“中华武数”“半马苏河”等特色领域，拓展自管公共服务事项" → "围绕哪些特色领域拓展…"
          body = `${en.question}${clauses[i + 1].text}`;
        } else if (normKey(en.prefix).length <= 3 && i > 0 && clauses[i - 1].text.length <= 24 && clauses[i - 1].text.length + en.question.length <= 40) {
          const prev = clauses[i - 1].text;
          const obj = startsWithVerb(en.prefix) ? objectOf(prev) : null;
          body = obj ? obj + body : `${prev}，${body}`;
          hasSubject = !!obj;
        }
        const q = cleanQuestion(questionPrefix(fc, i, body, hasSubject));
        const qs = [q];
        if (fc.f.shortHeading && !q.includes(fc.f.shortHeading)) qs.push(cleanQuestion(`${fc.f.shortHeading}，${stem(q)}`));
        facts.push({ kind: 'list', questions: qs, terms: en.items.slice(0, 3) });
      }
    }
  });

  // ── definitions (the whole unit)
  facts.push(...definitions(unitText));

  // ── topic "对X，…"
  const topic = /^(对于|对|针对)([^，]{2,30})，(.+)$/.exec(unitText);
  if (topic && !facts.some((x) => x.kind === 'time')) {
    const x = topic[2];
    let qs: string[];
    if (/(?:问题|情况|事项|差评|咨询|诉求)$/.test(x)) qs = [`对${x}怎么办？`, `${x}如何处理？`, `对${x}有什么要求？`];
    else if (/(?:群体|企业|人|者|对象|单位|群众)$/.test(x)) qs = [`对${x}有什么服务？`, `${x}能享受什么帮办服务？`, `对${x}有什么特别的安排？`];
    else qs = [`对${x}有什么要求？`, `对${x}怎么办？`];
    facts.push({ kind: 'topic', questions: qs, terms: [x.slice(0, 12)] });
  }

  // ── deadlines ("2022年底前，整合…，上线…，设立…"), only when nothing more precise was found
  const dl = DEADLINE_RE.exec(clauses[0]?.text ?? '');
  if (dl && clauses.length > 1 && !facts.some((x) => x.kind !== 'define')) {
    const when = /起$/.test(dl[0]) ? '从什么时候起' : '什么时候';
    const qs = clauses
      .slice(1, 5)
      .map((x) => x.text)
      .filter((t) => t.length >= 4 && t.length <= 40)
      .map((t) => cleanQuestion(`${when}要${t.replace(/^(?:要|应)/, '')}`));
    if (qs.length) facts.push({ kind: 'deadline', questions: qs, terms: [dl[0]] });
  }
  return facts.filter((x) => x.questions.length && x.questions[0]);
}

interface Enumeration {
  items: string[];
  prefix: string;
  question: string;
  /** The list is the clause's subject ("A情况、B情况…，纳入考核"). */
  subjectList: boolean;
  /** Nothing follows the list's noun in the clause. */
  endsClause: boolean;
}

const ENUM_BOUNDARY_RE = new RegExp(
  `(?:${uniq(VERB_WORDS.filter((v) => v.length >= 2)).sort((a, b) => b.length - a.length).join('|')}|的|：|在(?!线)|对(?![接象])|以(?![上下及来])|(?<![但于就凡即])是|(?<![作认成])为(?![主])|到(?![位期达])|涉及|包括|存在|含)`,
  'g',
);

/** Finds "A、B、C等X" (or "A、B和C") in a clause and turns it into "…哪些X…". */
function enumeration(clause: string, hasNext: boolean): Enumeration | null {
  const work = clause.replace(/”“/g, '”、“');
  const m = mask(work);
  const commas: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i] === '、') commas.push(i);
  if (commas.length === 0) return null;
  const firstSeg = work.slice(0, commas[0]);
  const middle: string[] = [];
  for (let k = 1; k < commas.length; k++) middle.push(work.slice(commas[k - 1] + 1, commas[k]).trim());
  // the end of the list
  let lastSeg = work.slice(commas[commas.length - 1] + 1);
  const lastMasked = m.slice(commas[commas.length - 1] + 1);
  let after = '';
  let terminated: 'deng' | 'count' | 'de' | null = null;
  const term = /等|(?:\d+|[两三四五六七八九十])(?:个|项|种|类)/.exec(lastMasked);
  if (term) {
    after = lastSeg.slice(term.index! + term[0].length);
    lastSeg = lastSeg.slice(0, term.index!);
    terminated = term[0] === '等' ? 'deng' : 'count';
  } else {
    const de = /的([^的、]{1,4})$/.exec(lastSeg);
    if (de) {
      after = de[1];
      lastSeg = lastSeg.slice(0, de.index);
      terminated = 'de';
    }
  }
  const lastItems = (() => {
    const joined = lastSeg.split(/以及|和|及|与/).filter(Boolean);
    return joined.length === 2 && joined.every((x) => x.length <= 12) ? joined : [lastSeg];
  })();
  const others = [...middle, ...lastItems].map((x) => x.trim());
  // the first item starts after a verb/particle of the first segment; pick the boundary giving a plausible item
  const bounds: number[] = [0];
  for (const b of mask(firstSeg).matchAll(ENUM_BOUNDARY_RE)) {
    const end = b.index! + b[0].length;
    if (end < firstSeg.length) bounds.push(end);
  }
  const minLen = Math.min(...others.map((x) => normKey(x).length));
  const sorted = uniq(bounds).sort((a, b) => b - a);
  const x1Start = sorted.find((s) => normKey(firstSeg.slice(s)).length >= minLen - 1 && firstSeg.length - s <= 20) ?? sorted[0];
  let suffix = others[0] ?? '';
  for (const it of others) while (suffix && !it.endsWith(suffix)) suffix = suffix.slice(1);
  // the whole first segment is the first item: the list is the clause's subject
  // ("各单位线上线下帮办工作开展情况、问题整改情况…，将综合纳入…考核")
  let subjectList = false;
  if (x1Start === 0) {
    if (suffix.length < 2 && terminated !== 'deng') return null;
    if (!hasNext || startsWithVerb(firstSeg) || PREPOSITION_RE.test(firstSeg) || firstSeg.length > 20 || /[\p{Script=Han}]/u.test(after.replace(/^(?:方面的?)?(?:工作|内容|情况|事项)$/, ''))) return null;
    subjectList = true;
  }
  // "市、区两级…": a one-character first item is a modifier, not a list
  if (firstSeg.length - sorted[0] <= 1) return null;
  if (!terminated && others.length >= 2) {
    const lens = others.slice(0, -1).map((x) => x.length).sort((a, b) => a - b);
    if (others[others.length - 1].length >= 2 * lens[Math.floor(lens.length / 2)] + 2) return null;
  }
  const prefix = work.slice(0, x1Start);
  const items = [firstSeg.slice(x1Start).trim(), ...others];
  if (items.some((x) => /(?<![主重需必响相适供对反])(?:要|应)(?![用急对邀求素点件])|将|可以/.test(x))) return null;
  if (items.some((x) => x.length < 2 || x.length > 20 || /[，。；\d]/.test(x) || /^(?:要|应|把|将|对|并)/.test(x))) return null;
  if (middle.some((x) => /以及|和|及|与/.test(x) && x.length > 8)) return null;
  const verbish = items.map((x) => startsWithVerb(x));
  if (verbish.some((v) => v !== verbish[0]) && items.some((x, k) => verbish[k] && x.length >= 6)) return null;
  if (items.length < 3 && terminated !== 'deng' && terminated !== 'count') return null;
  if (terminated === 'de' && items.length < 3) return null;
  if (!prefix && !subjectList) return null;
  let allSuffix = items[0];
  for (const it of items) while (allSuffix && !it.endsWith(allSuffix)) allSuffix = allSuffix.slice(1);
  let noun = after;
  if (subjectList) {
    const n = after && !startsWithVerb(after) ? after : suffix.length >= 2 ? suffix : '内容';
    return { items, prefix: '', question: `哪些${n}`, subjectList: true, endsClause: true };
  }
  if (noun && startsWithVerb(noun)) {
    noun = (/(?:通过|以|采用|运用|采取|利用)$/.test(prefix) ? '方式' : '方面') + noun;
  }
  if (!noun) {
    if (allSuffix.length >= 2) noun = allSuffix;
    else if (verbish[0]) noun = '举措';
    else if (terminated) noun = '内容';
    else return null;
  }
  return { items, prefix, question: `${prefix}哪些${noun}`, subjectList: false, endsClause: !after || after === noun };
}

function definitions(unit: string): Fact[] {
  const out: Fact[] = [];
  for (const m of unit.matchAll(/([^，。；（）]{2,50}?)[（(]以下(简称|统称)“([^”]{1,15})”[）)]/g)) {
    const term = m[3];
    if (m[2] === '统称') out.push({ kind: 'define', questions: [`“${term}”指哪些单位？`, `“${term}”包括哪些？`, `什么是“${term}”？`], terms: [term, '统称'] });
    else out.push({ kind: 'define', questions: [`什么是“${term}”？`, `“${term}”是什么？`, `${term}指的是什么？`], terms: [term, '简称'] });
  }
  for (const m of unit.matchAll(/“([^”]{2,12})”[，,]?即/g)) {
    out.push({ kind: 'define', questions: [`什么是“${m[1]}”？`, `“${m[1]}”指什么？`, `${m[1]}是什么意思？`], terms: [m[1]] });
  }
  for (const m of unit.matchAll(/(?:^|[，。；])([^，。；]{2,20}?)是指/g)) {
    out.push({ kind: 'define', questions: [`什么是${m[1]}？`, `${m[1]}指什么？`], terms: [m[1]] });
  }
  const isA = /^(“[^”]{2,15}”[^，。；是“”]{0,8})是([^，。；]{4,80})/.exec(unit);
  if (isA && !ACTOR_RE.test(isA[1]) && /(?:制度|安排|举措|平台|机制|方式|模式|服务|渠道|体系|工作)/.test(isA[2])) {
    out.push({ kind: 'define', questions: [`什么是${isA[1]}？`, `${isA[1]}是什么？`, `${isA[1].replace(/[“”]/g, '')}有什么意义？`], terms: [isA[1].replace(/[“”]/g, '')] });
  }
  return out;
}

// ───────────────────────────────────────────── categories, audience, keywords ─────────────────────────────────────────────

function classifyText(heading: string, body: string): CategoryCode {
  if (/职责|分工/.test(heading)) return 'department';
  if (HOTLINE_TOPIC_RE.test(heading)) return 'hotline';
  if (/^(?:体系架构|帮办形式|服务渠道)$/.test(heading)) return 'guide';
  if (GENERIC_HEADING_RE.test(heading)) return 'faq';
  const guide = (body.match(/渠道|平台|端|流程|办理|申请|指引|窗口|自助|随申办|小程序|APP|在线|网上|入口|功能|服务/g) ?? []).length;
  const rule = (body.match(/应当|应|须|不得|原则上|工作日|%|考核|时限|至少|每半年|每季度|每年|要求|标准/g) ?? []).length;
  if (/(?:机制|标准|要求|考核|规范|制度|保障|目标|范围|重点)/.test(heading) && rule >= guide / 2) return 'faq';
  return guide > rule ? 'guide' : 'faq';
}

function audienceOf(ctx: DocContext, ...texts: string[]): Audience {
  if (ctx.enterpriseDoc) return 'enterprise';
  const t = texts.join(' ');
  if (ENTERPRISE_RE.test(t) && !PEOPLE_RE.test(t)) return 'enterprise';
  return 'all';
}

function keywordsOf(question: string, body: string, extra: string[], ctx: DocContext): string[] {
  const out: string[] = [];
  const add = (k: string | undefined | null) => {
    const t = (k ?? '').replace(/[“”‘’《》\s]/g, '').trim();
    if (t.length < 2 || t.length > 12 || /[、，。；：]/.test(t)) return;
    if (out.some((x) => x === t || (x.includes(t) && t.length <= 2))) return;
    out.push(t);
  };
  for (const e of extra) add(e);
  for (const q of question.matchAll(/“([^”]{2,12})”/g)) add(q[1]);
  for (const t of DOMAIN_TERMS) if (question.includes(t)) add(t);
  for (const t of DOMAIN_TERMS) if (body.includes(t)) add(t);
  for (const q of body.matchAll(/“([^”]{2,10})”/g)) add(q[1]);
  for (const f of [ctx.region, '一网通办', '帮办']) if (out.length < 3) add(f);
  return out.slice(0, 8);
}

// ───────────────────────────────────────────── builder ─────────────────────────────────────────────

interface AddInput {
  key: string;
  kind: Kind;
  category: CategoryCode;
  question: string;
  similar: string[];
  answer: string;
  core: string;
  sourceSection: string;
  serviceItem?: string;
  department?: string;
  audience?: Audience;
  extraTerms?: string[];
}

class Builder {
  readonly out: Candidate[] = [];
  private order = 0;
  constructor(readonly ctx: DocContext) {}

  add(c: AddInput): void {
    const question = c.question.trim();
    if (!question || !c.answer.trim()) return;
    let key = c.key;
    for (let n = 2; this.out.some((x) => x.key === key); n++) key = `${c.key}#${n}`;
    this.out.push({
      key,
      kind: c.kind,
      category: c.category,
      question,
      similar: uniq(c.similar.map((s) => s.trim()).filter(Boolean)),
      answer: c.answer.trim(),
      core: normKey(c.core),
      keywords: keywordsOf(question, c.answer, c.extraTerms ?? [], this.ctx),
      serviceItem: c.serviceItem,
      department: c.department ? c.department.slice(0, 200) : undefined,
      audience: c.audience ?? audienceOf(this.ctx, question, c.answer),
      sourceSection: c.sourceSection,
      order: this.order++,
    });
  }
}

function lead(ctx: DocContext, heading: string | null): string {
  if (heading && !BOILERPLATE_HEADING_RE.test(heading)) return `根据${ctx.label}关于${quoted(heading)}的要求，`;
  return `根据${ctx.label}，`;
}

function unitNote(f: FlatSection): string {
  return f.units.length ? `（${f.unitRole}：${f.units.join('、')}）` : '';
}

/** The 政策文件 entry's answer: title, 文号, issuer, dates, purpose and the level-1 headings. */
export function summariseDocument(doc: ParsedDocument): string {
  const ctx = docContext(doc, []);
  const m = doc.metadata;
  const lines: string[] = [];
  const issued = formatDate(m.issueDate);
  const effective = formatDate(m.effectiveDate);
  let head = ctx.label;
  if (m.issuer) head += `由${tidyText(m.issuer)}`;
  if (issued) head += `于${issued}`;
  head += m.issuer || issued ? '印发' : '是一份政策文件';
  if (effective) head += effective === issued ? '，自印发之日起施行' : `，自${effective}起施行`;
  if (m.expiryDate) head += `，有效期至${formatDate(m.expiryDate)}`;
  lines.push(`${head}。`);
  const purpose = purposeSentence(doc);
  if (purpose) lines.push(purpose);
  const heads = doc.outline
    .filter((s) => s.path !== '' && s.level === 1 && !/^附件/.test(s.marker))
    .map((s) => `${s.marker}${trimPunct(tidyText(s.heading))}`)
    .filter((h) => h.length > 2);
  if (heads.length) lines.push(`主要内容：${heads.join('；')}。`);
  const annexes = doc.outline.filter((s) => /^附件/.test(s.marker)).map((s) => `${s.marker}${s.heading ? `《${trimPunct(tidyText(s.heading))}》` : ''}`);
  if (annexes.length) lines.push(`附件：${annexes.join('；')}。`);
  return lines.join('\n\n');
}

function purposeSentence(doc: ParsedDocument): string | null {
  const pre = doc.outline.find((s) => s.path === '');
  if (!pre) return null;
  for (const p of pre.paragraphs) {
    const sentences = tidyText(p).split(/(?<=[。])/).map((x) => x.trim()).filter(Boolean);
    for (let i = 0; i < sentences.length; i++) {
      const t = sentences[i];
      if (t.length >= 400 || !/(?:特?制定|现就|如下|形成本|现将|本(?:方案|办法|指引|说明|细则|意见|要点))/.test(t) || /印发给|现予印发|通知/.test(t)) continue;
      // "为…。根据…，制定本工作方案。": the purpose is the sentence before
      const full = /^为/.test(t) ? t : i > 0 && /^为/.test(sentences[i - 1]) ? sentences[i - 1] + t : /^(?:根据|按照)/.test(t) ? t : null;
      if (full) return `${full.replace(/[，：:。]+$/, '')}。`;
    }
  }
  return null;
}

function isPurposeSentence(u: string): boolean {
  return /^为/.test(u) && /(?:特?制定|现就|如下|印发|形成本|现将)/.test(u);
}

function isHeaderBoilerplate(u: string, ctx: DocContext): boolean {
  if (/印发给你们|现予印发|请认真|请结合|特此通知|此件公开|审议通过|经.{0,10}同意/.test(u)) return true;
  if (/[：:]$/.test(u)) return true;
  if (/文件$/.test(u) && u.length < 30) return true;
  if (normKey(ctx.title).includes(normKey(u)) && u.length < 80) return true;
  if (/关于印发/.test(u) && u.length < 80) return true;
  if (/^\d{4}年\d{1,2}月\d{1,2}日$/.test(u)) return true;
  if (/〔\d{4}〕\d+号$/.test(u) && u.length < 30) return true;
  if (ACTOR_RE.test(u) && u.length < 30 && !/[，。]/.test(u)) return true;
  return false;
}

// ───────────────────────────────────────────── the generator ─────────────────────────────────────────────

export function generateEntries(doc: ParsedDocument): GeneratedEntry[] {
  const flat = flatten(doc.outline);
  const ctx = docContext(doc, flat);
  const b = new Builder(ctx);

  // 1. the document
  const heads = doc.outline.filter((s) => s.path !== '' && s.level === 1 && !/^附件/.test(s.marker)).map((s) => trimPunct(tidyText(s.heading)));
  const docSimilar: string[] = [];
  if (doc.metadata.docNumber) docSimilar.push(`${doc.metadata.docNumber}讲的是什么？`, `${doc.metadata.docNumber}是什么文件？`);
  docSimilar.push(`${ctx.title}的主要内容是什么？`);
  if (doc.metadata.issuer) docSimilar.push(`${ctx.title}是哪个部门发布的？`);
  if (doc.metadata.effectiveDate) docSimilar.push(`${ctx.title}什么时候开始施行？`);
  docSimilar.push(`${ctx.topic}有哪些主要规定？`, `${ctx.title}包括哪几部分？`);
  const summary = summariseDocument(doc);
  b.add({
    key: 'doc',
    kind: 'doc',
    category: 'policy',
    question: `《${ctx.title}》是什么文件？`,
    similar: docSimilar,
    answer: summary,
    core: summary,
    sourceSection: '',
    extraTerms: [doc.metadata.docNumber ?? '', ctx.title, '政策文件', ...heads.slice(0, 2)],
    audience: ctx.enterpriseDoc ? 'enterprise' : 'all',
  });

  const glossaryTerms = new Set<string>();

  for (const f of flat) {
    const isPreamble = f.path === '';
    const parent = f.parents.length ? trimPunct(tidyText(f.parents[f.parents.length - 1].heading)) : null;
    const annex = /^附件/.test(f.section.marker) || f.parents.some((p) => /^附件/.test(p.marker));

    if (f.section.tables.length || annex) tableEntries(b, f, doc);

    let units = sectionUnits(f);
    if (isPreamble) units = units.filter((u) => !isPurposeSentence(u.text) && !isHeaderBoilerplate(u.text, ctx));
    if (annex && (f.section.tables.length || tablesOf(f).length)) units = [];

    // 2. the section itself
    if (!isPreamble && !annex) sectionEntry(b, f, parent, units);
    if (f.heading && BOILERPLATE_HEADING_RE.test(f.heading)) continue; // slogans: one entry, no facts

    // 3. responsible units
    if (!isPreamble && f.units.length && f.heading) deptEntry(b, f, units);

    // 4. lists introduced by 一是 / 二是
    listEntries(b, f, units);

    // 5. facts, one entry per sentence / ；-clause
    const typeCounts = new Map<string, number>();
    for (const u of units) {
      if (u.role === 'lead') continue; // its list entry answers it
      const clauses = splitClauses(u.text);
      if (!clauses.length) continue;
      const facts = extractFacts({ unit: u, clauses, f, ctx });
      for (const d of facts.filter((x) => x.kind === 'define')) glossaryEntry(b, f, d, u, glossaryTerms);
      const rest = facts.filter((x) => x.kind !== 'define');
      if (!rest.length) continue;
      rest.sort((a, c) => FACT_ORDER.indexOf(a.kind) - FACT_ORDER.indexOf(c.kind));
      const main = rest[0];
      const n = (typeCounts.get(main.kind) ?? 0) + 1;
      typeCounts.set(main.kind, n);
      const ordered = uniq([...rest.map((x) => x.questions[0]), ...rest.flatMap((x) => x.questions)]);
      let context = u.role === 'item' && u.context ? `${u.context}：` : u.role === 'cont' && u.context ? `${u.context}，` : '';
      if (u.deadline) context += `${u.deadline}，`;
      const answer = `${lead(ctx, f.heading || null)}${context}${withSubject(u)}。${unitNote(f)}`;
      let category: CategoryCode;
      const isDuty = main.kind === 'duty' || main.kind === 'role';
      if (isDuty) category = HOTLINE_TOPIC_RE.test(main.actor ?? '') ? 'hotline' : 'department';
      else if (main.kind === 'list' || main.kind === 'topic') category = classifyText(f.heading, u.text);
      else category = 'faq';
      if (!isDuty && HOTLINE_QUESTION_RE.test(ordered[0])) category = 'hotline';
      b.add({
        key: `f:${f.path || '_'}:${main.kind}:${n}`,
        kind: 'fact',
        category,
        question: ordered[0],
        similar: ordered.slice(1),
        answer,
        core: u.text,
        department: isDuty ? main.actor?.replace(/[（(][^）)]*[）)]/g, '') : f.units.join('、') || undefined,
        sourceSection: f.path,
        extraTerms: [...rest.flatMap((x) => x.terms), ...f.units.slice(0, 1)],
        audience: audienceOf(ctx, f.heading, u.text),
      });
    }

    // 6. quoted terms of a heading become glossary entries
    if (!isPreamble && f.heading) {
      for (const q of f.heading.matchAll(/“([^“”]{2,12})”/g)) {
        const term = q[1];
        if (ctx.ubiquitous.has(term) || /^\d+$/.test(term) || glossaryTerms.has(term)) continue;
        const mentions = units.filter((u) => u.text.includes(term)).slice(0, 2);
        if (!mentions.length) continue;
        glossaryTerms.add(term);
        const body = mentions.map((u) => withSubject(u)).join('。');
        b.add({
          key: `g:${term}`,
          kind: 'glossary',
          category: 'glossary',
          question: `什么是“${term}”？`,
          similar: [`“${term}”是什么？`, `${term}是什么意思？`, `${term}指的是什么？`, `${ctx.region}怎么推进“${term}”？`],
          answer: `${lead(ctx, null)}${body}。`,
          core: `g${term}${body}`,
          sourceSection: f.path,
          extraTerms: [term],
          audience: audienceOf(ctx, f.heading, body),
        });
      }
    }
  }

  recurringTerms(b, flat, glossaryTerms);
  return finalize(b.out, ctx);
}

/** Quoted terms used in several sections are the document's own jargon (“老法师”, “普小二”): explain them. */
function recurringTerms(b: Builder, flat: FlatSection[], seen: Set<string>): void {
  const ctx = b.ctx;
  const mentions = new Map<string, Array<{ f: FlatSection; u: Unit }>>();
  const order: string[] = [];
  for (const f of flat) {
    if (f.path === '' || /^附件/.test(f.section.marker) || (f.heading && BOILERPLATE_HEADING_RE.test(f.heading))) continue;
    for (const u of sectionUnits(f)) {
      for (const q of u.text.matchAll(/“([^“”]{2,8})”/g)) {
        const term = q[1];
        if (!mentions.has(term)) {
          mentions.set(term, []);
          order.push(term);
        }
        const list = mentions.get(term)!;
        if (!list.some((m) => m.u.text === u.text)) list.push({ f, u });
      }
    }
  }
  const sections = (t: string) => new Set(mentions.get(t)!.map((m) => m.f.path)).size;
  const terms = order
    .filter((t) => sections(t) >= 2 && !ctx.ubiquitous.has(t) && !seen.has(t) && !/^\d+$/.test(t) && !/[，、。：]/.test(t))
    .sort((a, c) => sections(c) - sections(a) || order.indexOf(a) - order.indexOf(c))
    .slice(0, 8);
  for (const term of terms) {
    seen.add(term);
    const picked: Array<{ f: FlatSection; u: Unit }> = [];
    for (const m of mentions.get(term)!) if (picked.length < 2 && !picked.some((p) => p.f === m.f)) picked.push(m);
    const body = picked.map((m) => withSubject(m.u).replace(/^[一二三四五六七八九十]是/, '')).join('。');
    b.add({
      key: `g:${term}`,
      kind: 'glossary',
      category: 'glossary',
      question: `什么是“${term}”？`,
      similar: [`“${term}”是什么？`, `${term}是什么意思？`, `${term}指的是什么？`, `${term}是做什么的？`],
      answer: `${lead(ctx, null)}${body}。`,
      core: `g${term}${body}`,
      sourceSection: picked[0].f.path,
      extraTerms: [term],
      audience: audienceOf(ctx, body),
    });
  }
}

function sectionEntry(b: Builder, f: FlatSection, parent: string | null, unitsIn: Unit[]): void {
  let units = unitsIn;
  const ctx = b.ctx;
  const children = f.section.children;
  const childLines: string[] = [];
  const leafChildren = children.every((c) => c.children.length === 0);
  for (const c of children) {
    const split = splitLongHeading(tidyText(c.heading || ''));
    const ch = split.heading;
    const firstPara = c.paragraphs.length ? stripNotes(tidyText(c.paragraphs[0])).text : split.body ?? '';
    const firstSentence = firstPara ? trimPunct(firstPara.split(/(?<=[。])/)[0]) : '';
    const marker = /^\d+$/.test(c.marker) ? `${c.marker}.` : c.marker;
    let line = `- ${marker}${ch}`;
    if (leafChildren && children.length <= 8 && firstSentence && firstSentence.length <= 90 && firstSentence !== ch) line += `${ch ? '：' : ''}${firstSentence}。`;
    else if (!ch && firstSentence) line += `${firstSentence.slice(0, 40)}…`;
    childLines.push(line);
  }
  if (!f.paragraphs.length && !childLines.length) return;
  if (!f.heading) return;
  let qs = f.pseudo ? clauseHeadingQuestions(f.heading, ctx) : headingQuestions(f.heading, parent, ctx, childLines.length > 0 && !f.paragraphs.length);
  if (!qs.length) return;
  if (BOILERPLATE_HEADING_RE.test(f.heading)) units = [];
  // what the body says it does: "如何探索运用大模型技术赋能政务服务？"
  const clauseQs: string[] = [];
  for (const u of units) {
    for (const c of splitClauses(u.text)) {
      const t = c.text;
      if (t.length >= 8 && t.length <= 22 && TASK_VERB_RE.test(t) && !/[后时]|要|应/.test(t.slice(2)) && (!/、/.test(t) || /等/.test(t))) clauseQs.push(`如何${t}？`);
    }
  }
  qs = uniq([...qs.slice(0, 3), ...clauseQs.slice(0, 2), ...qs.slice(3)]);
  const text = f.paragraphs.join('\n\n');
  const body: string[] = [];
  if (text) body.push(text);
  if (childLines.length) body.push(`${text ? (/[：:]$/.test(text) ? '' : '具体包括：\n\n') : '主要包括：\n\n'}${childLines.join('\n')}`);
  const note = unitNote(f);
  const answer = `根据${ctx.label}，关于${quoted(f.heading)}：\n\n${body.join('\n\n')}${note ? `\n\n${note}` : ''}`;
  let category = classifyText(f.heading, text + childLines.join(''));
  if (/职责|分工/.test(f.heading)) category = 'department';
  b.add({
    key: `s:${f.path}`,
    kind: 'section',
    category,
    question: qs[0],
    similar: qs.slice(1),
    answer,
    core: units.map((u) => u.text).join('') + childLines.join(''),
    department: f.units.join('、') || undefined,
    sourceSection: f.path,
    extraTerms: [f.shortHeading.length <= 12 ? f.shortHeading : '', ...f.units.slice(0, 2)],
    audience: audienceOf(ctx, f.heading, /职责|分工/.test(f.heading) ? '' : text),
  });
}

function deptEntry(b: Builder, f: FlatSection, units: Unit[]): void {
  const ctx = b.ctx;
  const h = f.shortHeading;
  const role = f.unitRole;
  const first = units[0] ? withSubject(units[0]) : '';
  const answer = `根据${ctx.label}，${quoted(f.heading)}的${role}为：${f.units.join('、')}。` + (first && first.length <= 120 ? `\n\n主要要求：${first}。` : '');
  const lead = role.startsWith('牵头') ? '牵头' : '负责';
  b.add({
    key: `d:${f.path}`,
    kind: 'dept',
    category: 'department',
    question: `${h}由哪些单位${lead}？`,
    similar: [`${h}的${role}是谁？`, `哪个部门负责${h}？`, `${h}由谁负责？`, `${h}归哪个单位管？`],
    answer,
    core: `dept${f.heading}${f.units.join('')}`,
    department: f.units.join('、'),
    sourceSection: f.path,
    extraTerms: [...f.units.slice(0, 3), role],
    audience: audienceOf(ctx, f.heading),
  });
}

function listEntries(b: Builder, f: FlatSection, units: Unit[]): void {
  const ctx = b.ctx;
  const lists = uniq(units.filter((u) => u.list !== undefined).map((u) => u.list!));
  let n = 0;
  for (const id of lists) {
    const members = units.filter((u) => u.list === id);
    const leadUnit = members.find((u) => u.role === 'lead');
    const itemUnits = members.filter((u) => u.role === 'item');
    if (itemUnits.length < 2) continue;
    n++;
    // items with the sentences that continue them
    const items: Array<{ head: string; texts: Unit[] }> = [];
    for (const u of members) {
      if (u.role === 'item') items.push({ head: trimPunct(firstClause(u.text).replace(/^[一二三四五六七八九十]是/, '')), texts: [u] });
      else if (u.role === 'cont' && items.length) items[items.length - 1].texts.push(u);
    }
    const leadText = leadUnit?.text ?? '';
    const leadClean = leadText || f.heading;
    if (!leadClean) continue;
    let qs: string[] = [];
    const cnt = /(\d+|[两三四五六七八九十])(个|项|种|类|条)/.exec(leadClean);
    if (cnt) {
      const pre = leadClean.slice(0, cnt.index);
      const post = leadClean.slice(cnt.index + cnt[0].length);
      qs.push(cleanQuestion(`${pre}哪些${post}`), cleanQuestion(`${pre}${/\d/.test(cnt[1]) ? '多少' : '几'}${cnt[2]}${post}`));
    } else if (leadClean.length <= 24) {
      qs = headingQuestions(leadClean, null, ctx);
    } else {
      qs = [cleanQuestion(`${f.shortHeading || leadClean.slice(0, 20)}包括哪几个方面`)];
    }
    if (f.heading && leadText && f.heading !== leadText) qs.push(...headingQuestions(f.heading, null, ctx).slice(0, 1));
    qs = uniq(qs.filter(Boolean));
    if (!qs.length) continue;
    const listText = items.map((it) => it.texts.map((u) => withSubject(u)).join('。')).join('；');
    const answer = `${lead(ctx, f.heading || null)}${leadText ? `${leadText}：` : ''}${listText}。${unitNote(f)}`;
    b.add({
      key: `l:${f.path || '_'}:${n}`,
      kind: 'list',
      category: classifyText(f.heading, listText),
      question: qs[0],
      similar: qs.slice(1),
      answer,
      core: leadText + items.map((it) => it.texts.map((u) => u.text).join('')).join(''),
      department: f.units.join('、') || undefined,
      sourceSection: f.path,
      extraTerms: items.map((it) => it.head).filter((h) => h.length <= 10).slice(0, 4),
      audience: audienceOf(ctx, f.heading, listText),
    });
    // long items get their own entry
    items.forEach((it, k) => {
      const text = it.texts.map((u) => withSubject(u)).join('。');
      if (text.length < 60 || !it.head || it.head.length > 20) return;
      const iq = headingQuestions(it.head, null, ctx);
      if (!iq.length) return;
      const ctxQ = leadClean.length <= 20 ? cleanQuestion(`${leadClean}中的${it.head}是怎样的`) : '';
      b.add({
        key: `i:${f.path || '_'}:${n}.${k + 1}`,
        kind: 'item',
        category: classifyText(it.head, text),
        question: iq[0],
        similar: uniq([...iq.slice(1), ctxQ].filter(Boolean)),
        answer: `${lead(ctx, f.heading || null)}${leadText ? `${leadText}：` : ''}${text}。${unitNote(f)}`,
        core: it.texts.map((u) => u.text).join(''),
        department: f.units.join('、') || undefined,
        sourceSection: f.path,
        extraTerms: [it.head],
        audience: audienceOf(ctx, it.head, text),
      });
    });
  }
}

function glossaryEntry(b: Builder, f: FlatSection, d: Fact, u: Unit, seen: Set<string>): void {
  const ctx = b.ctx;
  const term = d.terms[0];
  if (!term || seen.has(term)) return;
  seen.add(term);
  // a 简称 is explained further by short sentences elsewhere that start with it ("“小申”提供7*24小时…")
  const others: string[] = [];
  if (d.terms[1] === '简称') {
    for (const p of ctx.text.split(/\n+/)) {
      for (const s of splitUnits(p)) {
        if (others.length >= 2) break;
        if (s === u.text || !s.startsWith(`“${term}”`) || s.length > 120) continue;
        others.push(s);
      }
    }
  }
  const body = [withSubject(u), ...others].join('。');
  b.add({
    key: `g:${term}`,
    kind: 'glossary',
    category: 'glossary',
    question: d.questions[0],
    similar: d.questions.slice(1),
    answer: `${lead(ctx, null)}${body}。`,
    core: `g${term}${body}`,
    sourceSection: f.path,
    extraTerms: [term],
    audience: audienceOf(ctx, body),
  });
}

// ───────────────────────────────────────────── tables ─────────────────────────────────────────────

const PERSON_HEADER_RE = /领导|姓名|负责人|联系人|帮办人|人员/;
const ITEM_HEADER_RE = /事项|项目|名称|内容|业务/;
const UNIT_HEADER_RE = /处室|单位|部门|科室|机构/;
const INDEX_HEADER_RE = /^(?:序号|编号|序)$/;
const PHONE_HEADER_RE = /电话|联系方式|热线/;

function cell(s: string): string {
  return tidyText(s).replace(/\s+/g, ''); // names printed with spaces ("朱  明") lose them
}

function tablesOf(f: FlatSection): string[][][] {
  return f.section.tables.length ? f.section.tables : reconstructTable(f);
}

function tableTitle(f: FlatSection, doc: ParsedDocument, index: number): string {
  if (f.heading && !/^附件\d*$/.test(f.heading)) return f.heading;
  const paras = f.paragraphs.filter((p) => p.length <= 60 && !/[，。；]/.test(p));
  if (paras.length) return paras.join('');
  const num = /\d+/.exec(f.section.marker)?.[0] ?? String(index + 1);
  const m = new RegExp(`(?:附件[：:]\\s*|\\n)\\s*${num}\\s*[.．、]\\s*([^\\n]{4,60})`).exec(tidyText(doc.text));
  return m ? trimPunct(m[1]) : f.section.marker;
}

function tableEntries(b: Builder, f: FlatSection, doc: ParsedDocument): void {
  const ctx = b.ctx;
  tablesOf(f).forEach((rawRows, ti) => {
    const rows = rawRows.map((r) => r.map(cell)).filter((r) => r.some((x) => x));
    if (rows.length < 2) return;
    const title = tableTitle(f, doc, ti);
    const tableRef = `${/^附件/.test(f.section.marker) ? f.section.marker : ''}《${title}》`;
    const suffix = ti > 0 ? `.${ti + 1}` : '';
    const cells = rows.flat();
    const header = rows[0];
    const isForm = cells.filter((x) => x).length / cells.length < 0.75 || header.length < 2;
    if (isForm) {
      const labels = uniq(cells.filter((x) => x && x.length <= 20));
      if (labels.length < 2) return;
      b.add({
        key: `t:${f.path}${suffix}:form`,
        kind: 'table',
        category: 'guide',
        question: `${title}要填写哪些内容？`,
        similar: [`${title}包括哪些栏目？`, `怎么填写${title}？`, `${title}有哪些项目？`],
        answer: `根据${ctx.label}${tableRef}，需填写：${labels.join('、')}。`,
        core: `form${labels.join('')}`,
        sourceSection: f.path,
        extraTerms: [title, ...labels.slice(0, 4)],
      });
      return;
    }
    const col = (re: RegExp) => header.findIndex((h) => re.test(h));
    const idx = col(INDEX_HEADER_RE);
    const person = col(PERSON_HEADER_RE);
    const unit = header.findIndex((h, i) => i !== person && UNIT_HEADER_RE.test(h));
    const item = header.findIndex((h, i) => i !== person && i !== unit && i !== idx && ITEM_HEADER_RE.test(h));
    const phone = col(PHONE_HEADER_RE);
    const data = rows.slice(1).filter((r) => r.length >= header.length - 1);
    if (!data.length) return;
    const personH = person >= 0 ? header[person] : '';
    const unitH = unit >= 0 ? header[unit] : '';
    const itemH = item >= 0 ? header[item] : '';
    const verb = /帮办/.test(itemH) ? '帮办' : '负责';
    const unitShort = unitH.replace(/^责任/, '') || '单位';
    if (item >= 0) {
      // one entry per item, listing every person and unit of its rows
      const items = uniq(data.map((r) => r[item]).filter(Boolean));
      for (const it of items) {
        const rs = data.filter((r) => r[item] === it);
        const people = uniq(rs.map((r) => (person >= 0 ? r[person] : '')).filter(Boolean));
        const units = uniq(rs.map((r) => (unit >= 0 ? r[unit] : '')).filter(Boolean));
        const phones = uniq(rs.map((r) => (phone >= 0 ? r[phone] : '')).filter(Boolean));
        const rowNo = idx >= 0 && /^\d+$/.test(rs[0][idx]) ? rs[0][idx] : String(data.indexOf(rs[0]) + 1);
        const parts: string[] = [];
        if (people.length) parts.push(`由${personH}${people.join('、')}${verb}`);
        if (units.length) parts.push(`${unitH}为${units.join('、')}`);
        if (phones.length) parts.push(`${header[phone]}为${phones.join('、')}`);
        for (let ci = 0; ci < header.length; ci++) {
          if ([idx, person, unit, item, phone].includes(ci)) continue;
          const vals = uniq(rs.map((r) => r[ci]).filter(Boolean));
          if (vals.length && header[ci]) parts.push(`${header[ci]}为${vals.join('、')}`);
        }
        const qs: string[] = [];
        if (people.length && units.length) qs.push(`${it}由哪位${personH}${verb}、哪个${unitShort}负责？`);
        else if (people.length) qs.push(`${it}由哪位${personH}${verb}？`);
        else qs.push(`${it}由哪个${unitShort}负责？`);
        if (units.length) qs.push(`${it}的${unitH}是哪个？`, `${it}由哪个${unitShort}负责${verb === '帮办' ? '帮办' : ''}？`);
        if (people.length) qs.push(`哪位${personH}${verb}${it}？`);
        for (const p of people.slice(0, 3)) qs.push(`${p}${verb}什么事项？`);
        b.add({
          key: `t:${f.path}${suffix}:row:${rowNo}`,
          kind: 'table',
          category: 'department',
          question: qs[0],
          similar: qs.slice(1),
          answer: `根据${ctx.label}${tableRef}，${it}${parts.join('，')}。`,
          core: `row${it}${people.join('')}${units.join('')}`,
          serviceItem: it,
          department: units.join('、') || undefined,
          sourceSection: f.path,
          extraTerms: [it, ...people.slice(0, 3), ...units.slice(0, 2)],
          audience: audienceOf(ctx, it),
        });
      }
    } else {
      data.forEach((r, k) => {
        const name = r.find((x, ci) => ci !== idx && x) ?? '';
        if (!name) return;
        const pairs = header.map((h, ci) => (ci !== idx && r[ci] && h && r[ci] !== name ? `${h}为${r[ci]}` : '')).filter(Boolean);
        if (!pairs.length) return;
        const asked = header.filter((_h, ci) => ci !== idx && r[ci] && r[ci] !== name).slice(0, 2);
        b.add({
          key: `t:${f.path}${suffix}:row:${idx >= 0 && /^\d+$/.test(r[idx]) ? r[idx] : k + 1}`,
          kind: 'table',
          category: phone >= 0 ? 'hotline' : 'department',
          question: `${name}的${asked.join('和')}是什么？`,
          similar: [`${name}的相关信息是什么？`, `${title}中${name}是怎么规定的？`],
          answer: `根据${ctx.label}${tableRef}，${name}：${pairs.join('，')}。`,
          core: `row${r.join('')}`,
          serviceItem: name,
          sourceSection: f.path,
          extraTerms: [name],
        });
      });
    }
    // the whole table: "有哪些局领导参加…"
    if (person >= 0 && data.length >= 2) {
      const people = uniq(data.map((r) => r[person]).filter(Boolean));
      const activity = title.replace(/^\d{4}年度?/, '').replace(/(?:项目)?清单$|名单$|一览表$|表$/, '');
      const year = /^(\d{4})年/.exec(title)?.[1];
      const lines = data.map((r, k) => {
        const bits = [item >= 0 ? r[item] : '', unit >= 0 ? r[unit] : ''].filter(Boolean);
        const desc = bits.length === 2 ? `：${bits[0]}（${bits[1]}）` : bits.length === 1 ? `：${bits[0]}` : '';
        return `${idx >= 0 && r[idx] ? r[idx] : k + 1}. ${r[person]}${desc}`;
      });
      const act = activity.replace(/^(?:市局)?领导班子成员/, '');
      const allQ = /(?:帮办|活动|工作|调研|走访)$/.test(act) ? `有哪些${personH}参加${year ? `${year}年` : ''}${act}？` : `${title}中有哪些${personH}？`;
      b.add({
        key: `t:${f.path}${suffix}:all`,
        kind: 'table',
        category: 'department',
        question: allQ,
        similar: [`${title}包括哪些${personH}？`, `${title}有哪些内容？`, `哪些${personH}参加${activity}？`, `${personH}分别${verb}哪些事项？`],
        answer: `根据${ctx.label}${tableRef}，共${people.length}位${personH}、${data.length}项：\n\n${lines.join('\n')}`,
        core: `all${lines.join('')}`,
        sourceSection: f.path,
        extraTerms: [title.length <= 12 ? title : act, personH, ...people.slice(0, 3)],
      });
    }
  });
}

/** When the outline found no table: one-cell paragraphs "序号 / 局领导 / … / 1 / 陈学军 / …". */
function reconstructTable(f: FlatSection): string[][][] {
  const cells = f.paragraphs.flatMap((p) => p.split(/\n+/)).map((x) => x.trim()).filter(Boolean);
  const firstNum = cells.findIndex((c) => c === '1');
  const idxHeader = cells.slice(0, Math.max(0, firstNum)).findIndex((c) => INDEX_HEADER_RE.test(c));
  if (firstNum < 2 || idxHeader < 0) return [];
  const width = firstNum - idxHeader;
  if (width < 2) return [];
  const rows: string[][] = [];
  for (let i = idxHeader; i + width <= cells.length; i += width) rows.push(cells.slice(i, i + width));
  const ok = rows.slice(1).every((r, k) => r[0] === String(k + 1));
  return ok && rows.length >= 3 ? [rows] : [];
}

// ───────────────────────────────────────────── dedupe and finishing ─────────────────────────────────────────────

/** Near-duplicate questions, except for table rows about different service items. */
type Similarity = (a: string, b: string) => number;

function sameQuestion(sim: Similarity, a: { question: string; serviceItem?: string }, q: string, bItem?: string): boolean {
  if (a.serviceItem && bItem && a.serviceItem !== bItem) return false;
  return sim(a.question, q) >= NEAR_DUPLICATE;
}

const STRUCTURAL: Kind[] = ['section', 'item', 'list'];

function numbersOf(q: string): string {
  return (q.normalize('NFKC').match(/\d+/g) ?? []).join(',');
}

function absorb(into: Candidate, other: Candidate): void {
  into.similar.push(other.question, ...other.similar);
  into.keywords = uniq([...into.keywords, ...other.keywords]).slice(0, 8);
  if (!into.department && other.department) into.department = other.department;
}

function finalize(cands: Candidate[], ctx: DocContext): GeneratedEntry[] {
  const sim = similarityWithCache();
  const byPriority = [...cands].sort((a, b) => PRIORITY[b.kind] - PRIORITY[a.kind] || a.order - b.order);
  const kept: Candidate[] = [];
  for (const c of byPriority) {
    // the same content: one entry; its natural (heading) question leads, the precise ones follow
    const same = kept.find((k) => c.core && k.core === c.core && k.kind !== 'glossary' && c.kind !== 'glossary');
    if (same) {
      if (STRUCTURAL.includes(c.kind) && same.kind === 'fact') {
        const factQs = [same.question, ...same.similar];
        same.key = c.key;
        same.kind = c.kind;
        same.question = c.question;
        same.similar = [...factQs, ...c.similar];
        same.order = Math.min(same.order, c.order);
        same.keywords = uniq([...same.keywords, ...c.keywords]).slice(0, 8);
      } else absorb(same, c);
      continue;
    }
    const dup = kept.find((k) => sameQuestion(sim, k, c.question, c.serviceItem));
    if (dup) {
      // different content asked the same way: ask this one differently if it can be
      const alt = c.core !== dup.core ? c.similar.find((s) => s.length <= 60 && !kept.some((k) => sameQuestion(sim, k, s, c.serviceItem))) : undefined;
      if (alt) {
        c.similar = [c.question, ...c.similar.filter((s) => s !== alt)];
        c.question = alt;
        kept.push(c);
      } else absorb(dup, c);
      continue;
    }
    kept.push(c);
  }
  // 相似问法: 2–5 each, none a near-duplicate of another entry's question, none repeated across entries
  const used: string[] = [];
  for (const k of kept) {
    const out: string[] = [];
    const consider = (s: string) => {
      const q = s.trim();
      if (!q || q.length > 120 || out.length >= 5) return;
      if (normKey(q) === normKey(k.question)) return;
      if (out.some((o) => normKey(o) === normKey(q))) return;
      // another entry's question (unless the numbers differ: "2021年底前…" vs "2022年底前…" are different questions)
      if (kept.some((o) => o !== k && sameQuestion(sim, o, q, k.serviceItem) && numbersOf(o.question) === numbersOf(q))) return;
      if (used.includes(normKey(q))) return;
      out.push(q);
    };
    for (const s of k.similar) consider(s);
    for (const s of synonymVariants(k.question)) if (out.length < 3) consider(s);
    for (const s of genericVariants(k.question, ctx)) if (out.length < 2) consider(s);
    for (const s of [`关于${stem(k.question)}的规定`, `${ctx.title}：${stem(k.question)}？`]) {
      if (out.length < 2 && !out.includes(s)) out.push(s);
    }
    used.push(...out.map(normKey));
    k.similar = out;
  }
  kept.sort((a, b) => a.order - b.order);
  return kept.map((k) => {
    const e: GeneratedEntry = {
      key: k.key,
      category: k.category,
      question: k.question,
      similarQuestions: k.similar,
      answer: k.answer,
      keywords: k.keywords,
      audience: k.audience,
      sourceSection: k.sourceSection,
    };
    if (k.serviceItem) e.serviceItem = k.serviceItem;
    if (k.department) e.department = k.department;
    return e;
  });
}
