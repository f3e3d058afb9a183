import { describe, it, expect } from 'vitest';
import { smallKb } from './helpers/small-kb.js';
import { formRelation, questionForm } from '../server/search/question-form.js';
import { confidenceFeatures, CONFIDENCE_FEATURES, probability, loadConfidenceModel, runnerUp } from '../server/search/confidence.js';
import type { Candidate, SearchResult } from '../server/search/engine.js';
import { candidate, searchResult as result } from './helpers/candidates.js';
import path from 'node:path';
import { REPO_ROOT } from '../server/config.js';

describe('the kind of answer a question asks for', () => {
  it('reads it from the question words, colloquial or official', () => {
    expect(questionForm('北京冬天集中供暖是哪天开始')).toBe('date');
    expect(questionForm('不能立即整改的问题最长多长时间要改完？')).toBe('duration');
    expect(questionForm('普陀多久给工作人员培训一次')).toBe('duration');
    expect(questionForm('网办率要达到多少？')).toBe('percent');
    expect(questionForm('市监局有几个局领导在帮办')).toBe('count');
    expect(questionForm('全上海帮办最终是哪个部门负责组织实施')).toBe('who');
    expect(questionForm('咨询电话在哪能查到')).toBe('where');
    expect(questionForm('公积金贷款扣的钱跟月供对不上，咋回事')).toBe('why');
    expect(questionForm('社保卡丢了网上怎么补办')).toBe('how');
    expect(questionForm('公司营收没到两个亿，够不够科技型中小企业的标准')).toBe('yesno');
    expect(questionForm('什么是“免申即享”？')).toBe('definition');
    expect(questionForm('冬季防流感攻略有哪些')).toBe('list');
    expect(questionForm('营业执照')).toBeNull();
  });
});

describe('which forms answer each other', () => {
  it('a colloquial 能不能 / 哪几种 / 在哪 question is not held against an entry asking 如何 / 几种 / 怎么', () => {
    const relation = (asked: string, offered: string) => formRelation(questionForm(asked), questionForm(offered));
    expect(relation('社保缴费证明能不能自己在网上打出来', '如何在线查询打印个人社会保险缴费证明？')).toBe('compatible');
    expect(relation('单位给员工交公积金有哪几种交法', '单位缴存住房公积金有几种方式？')).toBe('compatible');
    expect(relation('营业执照在哪办', '营业执照怎么办理？')).toBe('compatible');
    expect(relation('集中供暖是哪天开始', '集中供暖从哪天开始？')).toBe('same');
    // A date asked, a list offered: that entry answers another question.
    expect(relation('集中供暖是哪天开始', '冬季防流感攻略有哪些')).toBe('different');
    expect(relation('网办率要达到多少？', '谁负责帮办工作的组织实施？')).toBe('different');
  });
});

describe('the shipped confidence model (kb-data/calibration.json)', () => {
  const model = loadConfidenceModel(path.join(REPO_ROOT, 'kb-data', 'calibration.json'), 'builtin')!;
  const p = (r: SearchResult) => probability(model, confidenceFeatures(r, runnerUp(r.candidates, () => false)));

  it('was fitted on the features the engine computes', () => {
    expect(model).not.toBeNull();
    expect(model.features).toEqual([...CONFIDENCE_FEATURES]);
  });

  it('is less sure of an entry that answers another kind of question (“哪天开始” against “有哪些”)', () => {
    const runnerUp = candidate('其他问题是什么？', { entryId: 2, score: 0.35, coverage: 0.3, questionCoverage: 0.2 });
    const sameKind = p(result('集中供暖是哪天开始', [candidate('集中供暖从哪天开始？'), runnerUp]));
    const otherKind = p(result('集中供暖是哪天开始', [candidate('冬季防流感攻略有哪些'), runnerUp]));
    expect(otherKind).toBeLessThan(sameKind);
  });

  it('is less sure when the top entry lacks the one specific thing asked about (社保卡 against 产权证)', () => {
    const runnerUp = candidate('其他问题是什么？', { entryId: 2, score: 0.35 });
    const covered = p(result('社保卡丢了怎么补办', [candidate('社保卡丢失怎么补办？'), runnerUp]));
    const missing = p(result('社保卡丢了怎么补办', [candidate('产权证平面图丢失，怎么补办？', { missingKey: 0.45 }), runnerUp]));
    expect(missing).toBeLessThan(covered);
  });

  it('does not count the top entry’s own source passage, close behind it, as a rival', () => {
    const top = candidate('一般事项差评多久整改完？', { documentId: 7, sections: ['二、（一）'] });
    const ownPassage = candidate('《方案》 二、（一）整改', { entryId: 2, passage: true, documentId: 7, sections: ['二、（一）'], score: 0.49 });
    const other = candidate('别的问题？', { entryId: 3, score: 0.2, coverage: 0.2, questionCoverage: 0.1 });
    const sameFactOf = (c: Candidate) => c.documentId === 7 && c.sections.includes('二、（一）');
    const q = '差评多久要整改完';
    const withPassage = probability(model, confidenceFeatures(result(q, [top, ownPassage, other]), runnerUp([top, ownPassage, other], sameFactOf)));
    const withoutIt = probability(model, confidenceFeatures(result(q, [top, other]), runnerUp([top, other], sameFactOf)));
    expect(withPassage).toBeCloseTo(withoutIt, 6);
    // … whereas a different fact that close does make it less sure.
    expect(p(result(q, [top, { ...ownPassage, documentId: 8 }, other]))).toBeLessThan(withoutIt);
  });

  it('is surer when the ranking signals agree on the top entry than when a crowd of close ones surrounds it', () => {
    const alone = p(result('问题', [candidate('问题？'), candidate('别的？', { entryId: 2, score: 0.3, coverage: 0.3, questionCoverage: 0.2, cosine: 0.2, lexical: 0.5, questionSimilarity: 0.1, bigramCoverage: 0.2 })]));
    const crowded = p(result('问题', [
      candidate('问题？'),
      ...[2, 3, 4, 5].map((id) => candidate('别的？', { entryId: id, score: 0.49, coverage: 0.7, cosine: 0.5, lexical: 1, questionSimilarity: 0.5, bigramCoverage: 0.5 })),
    ]));
    expect(crowded).toBeLessThan(alone);
  });
});

describe('a knowledge base of a few entries', () => {
  it('does not answer a question about something else with its only entry, however alone it leads', async () => {
    const s = await smallKb([{ category: 'guide', question: '居住证怎么办理？', answer: '在“随申办”提交居住登记后申领居住证。' }]);
    try {
      for (const question of ['充电桩转让怎么办', '养犬登记证怎么办', '无人机年检怎么办']) {
        expect((await s.answers.answer({ question })).outcome).not.toBe('answered');
      }
      expect((await s.answers.answer({ question: '居住证怎么办' })).outcome).toBe('answered');
    } finally {
      s.cleanup();
    }
  });
});
