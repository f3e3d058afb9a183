/** Phrasing questions: from a heading or a first clause, cleaning fragments into questions, and similar ways to ask. */
import type { DocContext } from './document.js';
import { startsWithVerb, subjectOf } from './sections.js';
import { ASKING_RE, isGenericPhrase } from './quality.js';
import { balanceQuotes, trimPunct, uniq } from './text.js';
import { GENERIC_HEADING_RE, HEADING_VERB_RE, RESPONSIBLE_LABEL } from './vocabulary.js';

const RESPONSIBLE_HEADING_RE = new RegExp(`^(?:${RESPONSIBLE_LABEL})$`);

/** A fragment made into a question: leading connectives and annex references dropped, quotes balanced, "？" added. */
export function cleanQuestion(q: string): string {
  let s = q.replace(/[（(](?:附件\d*|详见附件|见附件\d*)[）)]/g, '');
  s = s.replace(/^(?:——|并且|并|且|同时|另外|此外|其中|以及|[一二三四五六七八九十]是)/, '');
  s = s.replace(/^(?:实现|确保|力争|推进实现)(?=[“\p{Script=Han}])/u, '');
  s = balanceQuotes(trimPunct(s)).replace(/[，、：]+$/, '');
  return s ? `${s}？` : '';
}

/** A question without its "？". */
export function stem(q: string): string {
  return trimPunct(q).replace(/[？?]+$/, '');
}

/** Rewrites a question with common synonyms (多久/多长时间, 怎么/如何, 什么/哪些 …). */
export function synonymVariants(q: string): string[] {
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
export function genericVariants(q: string, ctx: DocContext): string[] {
  const core = stem(q);
  return [`请问${core}？`, `${core}，具体是怎么规定的？`, `${ctx.topic}：${core}？`];
}

/** Questions a person asks about a heading ("建立知识库迭代更新机制" → "知识库迭代更新机制是怎样的？"). */
export function headingQuestions(heading: string, parent: string | null, ctx: DocContext, hasChildrenOnly = false): string[] {
  const h = trimPunct(heading).replace(/^[（(][^）)]*[）)]/, '');
  if (!h) return [];
  const parts = h.split(/[，；]/).map(trimPunct).filter((x) => x.length >= 2);
  const out: string[] = [];
  const one = (phrase: string, primary: boolean) => {
    let p = withoutCitingLead(phrase);
    let m: RegExpExecArray | null;
    // "哪些事项可以延时办理": the heading is itself the question
    if (ASKING_RE.test(p)) {
      out.push(`${p}？`);
      return;
    }
    // "3.责任单位：…" under a task names who carries it out: asked of the task, not "什么是责任单位"
    if (RESPONSIBLE_HEADING_RE.test(p) && parent) {
      const task = trimPunct(parent).replace(/^[（(][^）)]*[）)]/, '');
      out.push(`${task}由哪些单位负责？`, `谁负责${task}？`);
      return;
    }
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
    // "《工作方案》的基本内容" in a reading of that plan, "起草背景和过程": a generic part of the document, however worded
    const generic = (x: string) => GENERIC_HEADING_RE.test(x) || isGenericPhrase(x);
    const own = /^《[^《》]+》的(.+)$/.exec(p)?.[1];
    if (own && generic(own)) p = own;
    const joined = p.length <= 10 ? /^(.+?)(?:和|及|与)(.{2,4})$/.exec(p) : null;
    if (generic(p) || (joined && generic(joined[1]))) {
      // "服务时间" says nothing alone: whose (the parent heading's, or the document's)
      const owner = parent && !generic(parent) && parent.length <= 16 && !parent.includes(p) ? parent : ctx.topic.replace(/^关于(?=.{4})/, '');
      out.push(`${owner}的${p}是什么？`, `${owner}的${p}包括哪些内容？`, `${owner}${/^[“”]/.test(p) ? '' : '有'}哪些${p}？`.replace(/有哪些(主要|总体|基本)/, '有哪些'));
      return;
    }
    const verb = HEADING_VERB_RE.exec(p);
    if (verb && p.length > verb[0].length + 1) {
      const obj = p.slice(verb[0].length).replace(/^(?:和|与|及)/, '');
      if (/(?:机制|制度|体系|标准|规范|流程|模式|平台|清单)$/.test(obj) && primary) out.push(`${obj}是怎样的？`, `如何${p}？`);
      else out.push(`如何${p}？`, /要求$/.test(obj) ? `${obj}是什么？` : `${obj}有哪些要求？`); // not "要求有哪些要求"
      out.push(`怎样${p}？`);
      return;
    }
    if (objectFirstTask(p)) {
      out.push(`如何${p}？`, `怎样${p}？`);
      return;
    }
    if (parent && /^(?:主要目标|总体目标|工作目标|主要任务|重点任务|工作任务|工作安排|体系架构|工作任务及分工)$/.test(parent) && p.length <= 12) {
      const pn = parent.replace(/及分工$/, '');
      // "到2025年底的目标" under 工作目标 already names a goal: not "…的目标的工作目标"
      if (p.endsWith(pn.slice(-2))) out.push(`${p}是什么？`, `${p}是怎样的？`);
      else out.push(`${p}的${pn}是什么？`, `${p}方面的${pn}有哪些？`, `${p}是怎样的？`);
      return;
    }
    // a short item under a heading that asks ("（一）到现场" under "怎样预约"): the item answers its parent's question
    if (parent && p.length <= 8 && ASKING_RE.test(parent)) {
      out.push(`${p}，${trimPunct(parent)}？`);
      return;
    }
    // a short item under a part every document has ("（一）早晚弹性办" under "服务时间"): that part, for this item
    if (parent && p.length <= 8 && isGenericPhrase(parent) && !isGenericPhrase(p)) {
      // under a part that lists its members ("基本原则", "工作内容", "总体要求"), the item is one of them: not "便捷高效的基本原则"
      const kind = /(?:原则|内容|要求|任务|目标|措施|举措|思想|思路|架构|构架|意义|背景)$/.exec(parent);
      if (kind) out.push(kind[0] === '原则' && !p.endsWith('原则') ? `什么是${p}原则？` : `什么是${p}？`, `${p}是怎样的？`);
      else out.push(`${p}的${parent}是什么？`, `什么是${p}？`, `${p}是怎样的？`);
      return;
    }
    const subj = subjectOf(p);
    if ((subj && subj.length < p.length && startsWithVerb(p.slice(subj.length))) || notATerm(p)) out.push(...rulesOn(p));
    else if (hasChildrenOnly) out.push(`${p}包括哪些方面？`, `什么是${p}？`, `${p}是怎样的？`);
    else out.push(`什么是${p}？`, `${p}是怎样的？`, `${p}包括哪些内容？`);
  };
  parts.forEach((p, i) => one(p, i === 0));
  // "如何提高认识，凝聚合力？" — only for a heading of tasks (not "如何关于…")
  if (parts.length > 1 && (HEADING_VERB_RE.test(parts[0]) || startsWithVerb(parts[0]))) out.push(`如何${parts.join('，')}？`);
  return uniq(out.map((q) => q.replace(/\s+/g, '')));
}

/** "《通知》明确了政务服务代办原则" (a reading citing its plan) → 政务服务代办原则: what is laid down, not who says it. */
function withoutCitingLead(p: string): string {
  const rest = p.replace(/^《[^《》]{1,20}》(?:明确|规定|提出|要求|强调)了?/, '');
  return rest.length >= 4 ? rest : p;
}

/** Asking what is laid down about a phrase ("关于进一步提高思想认识" keeps its one 关于). */
function rulesOn(p: string): string[] {
  return [`${p}是怎么规定的？`, `${/^关于/.test(p) ? p : `关于${p}`}，有什么规定？`];
}

/**
 * A phrase one cannot ask "什么是" about: it opens with 把 / 按照 / 根据 / 对于 or is an 在…方面 ("把线下综合服务能力打牢",
 * "在区级惠企利民政策方面"), or states a figure ("智能预填比例不低于70%"): it says what is laid down, it names no thing.
 */
function notATerm(p: string): boolean {
  return /^(?:把|按照|根据|对于|关于)/.test(p) || /^在.{2,}(?:方面|之中|期间|基础上)$/.test(p) || /(?:不低于|不少于|不超过|不高于|达到)\d/.test(p);
}

/** "对150个高频事项的办事体验进行重点优化": a task whose object comes first, not a thing one asks "什么是" about. */
function objectFirstTask(p: string): boolean {
  return /^(?:对|针对|围绕|按照|依托|通过|以)/.test(p) && /(?:进行|开展|实施|推进|推动|加强|优化|提升|落实|完善)/.test(p.slice(2));
}

/** Questions for a section without a heading, from its first clause ("老年人行动不便的" → "老年人行动不便的怎么办？"). */
export function clauseHeadingQuestions(clause: string, ctx: DocContext): string[] {
  const c = withoutCitingLead(trimPunct(clause));
  if (/的$/.test(c)) return [`${c}怎么办？`, `${c}，应该如何办理？`, `${c}有什么规定？`];
  if (/(?:后|时|前)$/.test(c)) return [`${c}会怎么处理？`, `${c}，有什么规定？`];
  if (HEADING_VERB_RE.test(c) || startsWithVerb(c) || objectFirstTask(c)) return headingQuestions(c, null, ctx);
  const subj = subjectOf(c);
  if ((subj && subj.length < c.length) || notATerm(c)) return rulesOn(c);
  return [`什么是${c}？`, `${c}是怎样的？`, `${c}包括哪些内容？`];
}
