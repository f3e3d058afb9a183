/**
 * The quality gate every generated entry passes before it is stored: a question a citizen can read (no nested
 * templates, no heading numbers, not built from an instruction, not over-generic, not about boilerplate) and an
 * answer with content (not only sub-headings, not the question repeated). Reasons are in Chinese: they are shown
 * to the people who maintain the knowledge base.
 */
import { COPULA_END_RE, normKey } from './text.js';
import { INCLUDING_VERBS, RESPONSIBLE_LABEL } from './vocabulary.js';

/** What the gate looks at. */
export interface GatedEntry {
  question: string;
  answer: string;
  sourceSection?: string | null;
}

/** Question frames the generator wraps around a phrase ("什么是X？", "X是怎样的？" …); the phrase is the core. */
const FRAME_PREFIX_RE = /^(?:什么是|请问|关于)/;
const FRAME_SUFFIX_RE =
  /(?:是什么|是怎样的|是怎么规定的|有什么规定|有哪些要求|有什么要求|包括哪些内容|包括哪些方面|包括哪些|有哪些|是指什么|指的是什么|怎么办|如何办理)$/;
/** Words that ask: a core (or a heading) holding one is already a question. */
const ASKING_WORDS = '什么|怎么|怎样|如何|哪些|哪个|哪里|多少|多久|为什么|能否|是否|可否|几[个项种天]';
export const ASKING_RE = new RegExp(`${ASKING_WORDS}|[吗呢]$`);
/** Every asking word of a question, wherever it stands (what is left is what the question asks about). */
const ASKING_ANYWHERE_RE = new RegExp(`${ASKING_WORDS}|[吗呢]`, 'g');

/** Nouns of the generator's frames (有哪些要求, 的工作目标, 包括哪些内容): one a question may hold only once. */
const FRAME_NOUNS = ['要求', '目标', '规定', '内容', '原则'];
/** The responsibility note an answer closes with ("（责任单位：区数据局）"). */
const CLOSING_NOTE_RE = new RegExp(`[（(](?:${RESPONSIBLE_LABEL})[：:][^）)]*[）)]$`);
/** Openings whose subject stayed in the sentence before (“包括……几种方式？”, “可在……提出？”), or that are no question (“的…”). */
const SUBJECTLESS_RE = new RegExp(`^(?:的|要由|要从|${INCLUDING_VERBS}|可在|可于|可通过|可以在|可以通过|以及|及(?!时)|且)`);
/** A heading number or list marker left in a question. */
const MARKER_RE = /^[a-z](?=\p{Script=Han})|(?<![统唯之第万同单逐划其初周星礼])[一二三四五六七八九十]+、|[（(](?:[一二三四五六七八九十]+|\d{1,2})[）)]|(?:^|[^\d.])\d{1,2}[.．、](?![\d])|第[一二三四五六七八九十\d]+[条章节款]/u;
/** A piece of a timetable ("周四17:00", "9:00—17:00") inside a question. */
const SCHEDULE_RE = /(?:周|星期)[一二三四五六日天]\s*\d{1,2}[:：]\d{2}|\d{1,2}[:：]\d{2}\s*[—\-－~～至到]+\s*\d{1,2}[:：]\d{2}/;
/** An instruction to the reader ("请携带…", "须提交…"), not something one asks "什么是" about. */
const INSTRUCTION_RE = /^(?:请|务必|须|必须|应当|不得|禁止|严禁|切勿|不要)/;
/** Sections every document has that hold no answer of their own. */
// (a standard's 范围 / 规范性引用文件 / 术语和定义 clauses too: its terms have entries of their own)
const BOILERPLATE_RE = /^(?:总则|附则|附件|附件\d*|相关附件|附件下载|抄送|印发|信息来源|联系方式|联系人|联系电话|联系我们|其他|其它|说明|备注|范围|规范性引用文件|术语和定义)$/;
/** A phrase made only of words naming a part of any document or procedure ("申请材料", "服务流程", "主要目标"). */
const GENERIC_RE = new RegExp(
  '^(?:(?:本|该|其|有关|相关|主要|总体|基本|具体|其他|一般|工作|服务|办理|申请|适用|预约|评价|更新|响应|业务|咨询|受理|审批|实施|保障|组织|管理|重点|办事|目标)+' +
    '(?:对象|内容|时间|方式|目标|流程|要求|材料|条件|范围|时限|地点|标准|程序|原则|任务|措施|安排|机制|职责|分工|依据|渠道|形式|结果|事项|概述|背景|意义|环节|规定|思想|思路|方法|步骤|须知|指南|情况)' +
    '|指导思想|总体思路|注意事项|温馨提示|常见问题|基本情况|总体要求)$',
);

/** A heading of a section every document has and none answers from (附则, 附件, 联系方式): no entry asks about it. */
export function isBoilerplateHeading(heading: string): boolean {
  return BOILERPLATE_RE.test(heading.trim());
}

/** The phrase a question asks about, without the generator's frames ("什么是申请材料？" → 申请材料). */
export function questionCore(question: string): string {
  return unframe(question).replace(/^[“”]+|[“”]+$/g, '');
}

function unframe(question: string): string {
  let core = question.trim().replace(/[？?]+$/, '');
  for (let i = 0; i < 2; i++) core = core.replace(FRAME_PREFIX_RE, '').replace(FRAME_SUFFIX_RE, '');
  return core;
}

/** A phrase naming only a part of any document or procedure ("申请材料", "主要目标"): it needs its subject. */
export function isGenericPhrase(phrase: string): boolean {
  return GENERIC_RE.test(phrase.trim());
}

/** What is wrong with a question (empty when nothing is). */
export function questionProblems(question: string): string[] {
  const q = question.trim();
  const out: string[] = [];
  const body = q.replace(/[？?]+$/, '');
  const core = questionCore(q);
  const framed = unframe(q);
  if (normKey(body).length < 4 || normKey(core).length < 2) out.push('问题过短，没有实际内容');
  // "什么是什么是…", "什么是在哪里查询…？在…", "怎么激活…？…是怎么规定的"
  // "什么是哪些事项可以延时办理？": a question wrapped in the definition frame
  const definesQuestion = /^(?:请问)?什么是/.test(body) && ASKING_RE.test(core);
  // "什么是帮办服务应遵循依法依规……的原则？": a requirement is no term to define
  if (/^(?:请问)?什么是/.test(body) && /(?:应当|应该|必须|须|应)(?:遵循|按照|依照|坚持|落实|做到|在|于|对|向|将|把|由)/.test(core)) out.push('问题把一句要求当作名词');
  // "什么是“好差评”适用各级政务服务机构？", "今年疫情以来是怎样的？", "什么是回复部门跟进个案后？", "本办法所称……是怎么规定的？"
  // (the definition has its own "什么是X？"), "什么是县级以上人民政府有关部门、乡（镇）人民政府、街道办事处？": a scope clause, a time
  // adverbial, a definition's opening or a list of bodies is no topic for a frame
  else if (core !== body && (/适用(?:于|本|各|该|全)|^本\p{Script=Han}{1,3}所[称指]|以来$|期间$|之际$|(?<![售善])[后後]$/u.test(core) || (core.match(/、/g) ?? []).length >= 2)) out.push('问题把一句话或一串名称当作名词');
  if (/[？?]/.test(body) || (body.match(/什么是/g) ?? []).length > 1 || definesQuestion || (framed !== body.replace(/^请问/, '') && ASKING_RE.test(framed) && !/^(?:哪些|哪个|多少|几)/.test(core))) {
    out.push('问题套用了两层模板');
  }
  // "共多少项？": asking words and a measure word, nothing they ask about (a count cut from its enumeration)
  const asked = body.replace(ASKING_ANYWHERE_RE, '').replace(/^(?:请问|一共|总共|合计|共)/, '');
  if (SUBJECTLESS_RE.test(body) || (asked.match(/[\p{Script=Han}\p{L}\p{N}]/gu) ?? []).length < 3) out.push('问题缺少主语');
  if (MARKER_RE.test(q) || SCHEDULE_RE.test(q)) out.push('问题里混入了标题序号或时间表片段');
  // "关于关于…", "要求有哪些要求", "…的目标的工作目标": a frame wrapped around a phrase that already says it
  if (/(\p{Script=Han}{2,})\1/u.test(body) || FRAME_NOUNS.some((w) => body.split(w).length > 2)) out.push('问题里重复了同一个词');
  if (INSTRUCTION_RE.test(core) && core !== body) out.push('问题由指令句生成');
  // "什么是为规范本区帮办工作？": a frame around the purpose or the basis a sentence opens with, not its topic
  if (core !== body && /^(?:为了|为(?=规范|进一步|加强|推进|落实|深化|提高|提升|做好|保障|贯彻|促进|切实|优化|建立|健全|完善|实现|确保|适应|推动|全面|更好)|根据|按照|依据|依照)/.test(core)) out.push('问题由目的或依据状语生成');
  // "县政府工作的指导思想是是怎么规定的？": a frame around a sentence cut off after its 是
  if (core !== body && COPULA_END_RE.test(core.replace(/[，,]$/, ''))) out.push('问题里的短语是半句话');
  // "超过多长时间仍查不到的？": a condition, not a question
  if (/的$/.test(body) && !FRAME_SUFFIX_RE.test(body)) out.push('问题是不完整的条件句');
  // "…工作规则的附则是什么？": named with its document, a boilerplate section is still one
  if (BOILERPLATE_RE.test(core) || BOILERPLATE_RE.test(core.replace(/^.+的(?=[^的]+$)/, ''))) out.push('问题针对附则、附件等程式性章节');
  else if (GENERIC_RE.test(core)) out.push('问题过于笼统，没有说明主体');
  return out;
}

/** The answer without its opening ("根据《…》…，关于“…”：") and closing responsibility note. */
export function answerContent(answer: string): string {
  let a = answer.trim();
  a = a.replace(/^根据《[^》]*》(?:（[^）]*）)?(?:附件\d*)?(?:《[^》]*》)?(?:关于“[^”]*(?:“[^”]*”[^”]*)*”的要求)?[，,]?(?:关于“(?:[^“”]|‘[^’]*’)*”[：:])?/, '');
  a = a.replace(CLOSING_NOTE_RE, '');
  return a.trim();
}

/** Is the answer only a list of sub-headings ("主要包括：- （一）适用对象 - （二）预约方式")? */
function onlyHeadings(content: string): boolean {
  const lines = content.split('\n').map((l) => l.trim()).filter(Boolean);
  const items = lines.filter((l) => /^-\s/.test(l));
  if (items.length < 2) return false;
  const rest = lines.filter((l) => !/^-\s/.test(l));
  if (rest.some((l) => !/^(?:主要包括|具体包括|包括)[：:]?$/.test(l))) return false;
  return items.every((l) => {
    const t = l.replace(/^-\s*(?:[（(][^）)]*[）)]|[一二三四五六七八九十]+、|\d{1,2}[.．、])?/, '');
    return t.length <= 16 && !/[：:，。；]/.test(t);
  });
}

/** What is wrong with an entry (empty when it may be stored). */
export function entryQualityProblems(entry: GatedEntry): string[] {
  const out = questionProblems(entry.question);
  const content = answerContent(entry.answer);
  const key = normKey(content);
  if (key.length < 6) out.push('答案为空或没有实质内容');
  else if (onlyHeadings(content)) out.push('答案只列出小标题');
  else {
    const q = normKey(questionCore(entry.question));
    if (q.length >= 4 && (key === q || (q.includes(key) && key.length >= q.length * 0.6))) out.push('答案只是重复问题');
  }
  return out;
}
