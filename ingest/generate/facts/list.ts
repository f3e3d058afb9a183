/** Lists: "A、B、C等X" asked as 哪些X. */
import { enumeration } from '../enumeration.js';
import { cleanQuestion, stem } from '../questions.js';
import { objectOf, startsWithVerb, type Clause } from '../sections.js';
import { normKey } from '../text.js';
import { questionPrefix, type Fact, type FactContext } from './context.js';

/** Enumerations "A、B、C等X" asked as "哪些X". */
export function enumerationFacts(fc: FactContext, i: number, c: Clause): Fact[] {
  const { clauses } = fc;
  const out: Fact[] = [];
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
      out.push({ kind: 'list', questions: qs, terms: en.items.slice(0, 3) });
    }
  }
  return out;
}
