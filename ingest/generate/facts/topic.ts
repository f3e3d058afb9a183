/** Topics: a sentence opening with "对X，…" asked as 对X怎么办 / 有什么要求. */
import type { Fact } from './context.js';

/** A unit opening with "对X，…": how X is handled. */
export function topicFacts(unitText: string): Fact[] {
  const out: Fact[] = [];
  const topic = /^(对于|对|针对)([^，]{2,30})，(.+)$/.exec(unitText);
  if (topic) {
    const x = topic[2];
    let qs: string[];
    if (/(?:问题|情况|事项|差评|咨询|诉求)$/.test(x)) qs = [`对${x}怎么办？`, `${x}如何处理？`, `对${x}有什么要求？`];
    else if (/(?:群体|企业|人|者|对象|单位|群众)$/.test(x)) qs = [`对${x}有什么服务？`, `${x}能享受什么帮办服务？`, `对${x}有什么特别的安排？`];
    else qs = [`对${x}有什么要求？`, `对${x}怎么办？`];
    out.push({ kind: 'topic', questions: qs, terms: [x.slice(0, 12)] });
  }
  return out;
}
