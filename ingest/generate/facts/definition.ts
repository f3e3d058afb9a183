/** Definitions: （以下简称“X”）, “X”即…, X是指…, “X”是…制度 asked as 什么是X. */
import { ACTOR_RE } from '../vocabulary.js';
import type { Fact } from './context.js';

/** Terms the unit defines: （以下简称“X”）, “X”即…, X是指…, “X”是…制度/平台/…. */
export function definitions(unit: string): Fact[] {
  const out: Fact[] = [];
  // the short name quoted or not: （以下简称“12345热线”）, (以下简称12345热线), （以下称“好差评”）
  for (const m of unit.matchAll(/([^，。；（）]{2,50}?)[（(]以下(简称|统称|称)(?:“([^”]{1,15})”|([^“”（）()，。；]{1,15}))[）)]/g)) {
    const term = m[3] ?? m[4];
    if (/[《》]/.test(term)) continue; // （以下简称《工作方案》）names a document, not a term
    if (m[2] === '统称') out.push({ kind: 'define', questions: [`“${term}”指哪些单位？`, `“${term}”包括哪些？`, `什么是“${term}”？`], terms: [term, '统称'] });
    else out.push({ kind: 'define', questions: [`什么是“${term}”？`, `“${term}”是什么？`, `${term}指的是什么？`], terms: [term, '简称'] });
  }
  for (const m of unit.matchAll(/“([^”]{2,12})”[，,]?即/g)) {
    out.push({ kind: 'define', questions: [`什么是“${m[1]}”？`, `“${m[1]}”指什么？`, `${m[1]}是什么意思？`], terms: [m[1]] });
  }
  // "本办法所称12345政务服务便民热线（以下简称12345热线），是指……": the term without the law's words around it
  for (const m of unit.matchAll(/(?:^|[，。；])(?:本\p{Script=Han}{1,3}所(?:称|指)|所称|所指)?([^，。；（）()]{2,20}?)(?:[（(]以下[^）)]*[）)])?[，,]?是指/gu)) {
    out.push({ kind: 'define', questions: [`什么是${m[1]}？`, `${m[1]}指什么？`], terms: [m[1]] });
  }
  const isA = /^(“[^”]{2,15}”[^，。；是“”]{0,8})是([^，。；]{4,80})/.exec(unit);
  if (isA && !ACTOR_RE.test(isA[1]) && /(?:制度|安排|举措|平台|机制|方式|模式|服务|渠道|体系|工作)/.test(isA[2])) {
    out.push({ kind: 'define', questions: [`什么是${isA[1]}？`, `${isA[1]}是什么？`, `${isA[1].replace(/[“”]/g, '')}有什么意义？`], terms: [isA[1].replace(/[“”]/g, '')] });
  }
  return out;
}
