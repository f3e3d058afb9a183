import { describe, it, expect } from 'vitest';
import { decide } from '../server/search/decide.js';
import { candidate, searchResult as result } from './helpers/candidates.js';

describe('when two candidates make a question ambiguous', () => {
  it('two entries asked alike, each with words the question lacks, covering it equally: 猜你想问, not one of them', () => {
    const d = decide(result('企业需要准备哪些材料', [
      candidate('企业开办需要准备哪些材料？', { entryId: 1, score: 0.56, coverage: 0.6, answerText: '申请书、章程、住所证明' }),
      candidate('企业注销需要准备哪些材料？', { entryId: 2, score: 0.5, coverage: 0.6, answerText: '另一份清单' }),
    ]));
    expect(d.outcome).toBe('suggest');
    expect(d.suggestions.map((c) => c.entryId)).toEqual([1, 2]);
  });

  it('two entries asked alike, but the question names what only one of them says: that one is answered', () => {
    // Both cover the question (改 matches 整改 in each); only the first says 整改时间, as the question does.
    const query = '能马上改的问题整改时间一般不超过多久';
    const sooner = candidate('对能即知即改的问题，相关单位整改时间原则上不超过多长时间？', { entryId: 1, score: 0.56, coverage: 0.9, answerText: '原则上不超过5个工作日' });
    const later = candidate('对不能立即整改的问题，相关单位原则上不超过多长时间？', { entryId: 2, score: 0.52, coverage: 0.9, answerText: '原则上不超过1个月' });
    const d = decide(result(query, [sooner, later]));
    expect(d.outcome).toBe('answered');
    expect(d.top?.entryId).toBe(1);
    // Asked without what tells them apart, the same two are offered to choose from.
    expect(decide(result('问题整改一般不超过多久', [sooner, later])).outcome).toBe('suggest');
  });

  it('two passages of one document share its title, not a question form: the clear leader is answered', () => {
    const title = '《进一步优化在线为企帮办服务工作方案》';
    const d = decide(result('为企帮办方案 抄送单位', [
      candidate(title, { entryId: 1, passage: true, documentId: 4, sections: ['抄送'], score: 0.56, coverage: 0.6, answerText: '抄送：市委各部门，市人大常委会办公厅' }),
      candidate(`${title} 一、（三）总体目标`, { entryId: 2, passage: true, documentId: 4, sections: ['一、（三）'], score: 0.4, coverage: 0.6, answerText: '到2023年底，惠企政策实现免申即享' }),
    ]));
    expect(d.outcome).toBe('answered');
    expect(d.top?.entryId).toBe(1);
  });
});

describe('a question mostly in words the knowledge base never uses', () => {
  const query = '为企帮办方案 发文编号多少啊';
  it('still gets 猜你想问 when its best unit covers a fair share of the rest', () => {
    const d = decide(result(query, [candidate('《进一步优化在线为企帮办服务工作方案》是什么文件？', { entryId: 1, score: 0.4, coverage: 0.3 })], 0.6));
    expect(d.outcome).toBe('suggest');
    expect(d.suggestions).toHaveLength(1);
  });

  it('gets no answer and nothing to choose from when the best unit covers little of it', () => {
    const d = decide(result('上海哪家生煎包好吃 排队少点的', [candidate('“线上人工帮办”客服端提供哪些功能？', { entryId: 1, score: 0.3, coverage: 0.1 })], 0.8));
    expect(d.outcome).toBe('no_answer');
    expect(d.suggestions).toEqual([]);
  });
});

describe('猜你想问 offers different facts', () => {
  /** An entry, the source passage it was generated from, and two other facts of the same document, scored from `top` down. */
  const volunteers = (top: number) => [
    candidate('如何招募帮办志愿者？', { entryId: 1, documentId: 7, sections: ['二、（三）'], score: top, coverage: 0.5, answerText: '面向社会招募帮办志愿者' }),
    candidate('《帮办方案》 二、（三）志愿帮办', { entryId: 2, passage: true, documentId: 7, sections: ['二、（三）'], score: top - 0.01, coverage: 0.5, answerText: '面向社会招募帮办志愿者，开展培训' }),
    candidate('帮办志愿者提供哪些服务？', { entryId: 3, documentId: 7, sections: ['二、（四）'], score: top - 0.02, coverage: 0.4, answerText: '引导填报、解答咨询' }),
    candidate('志愿服务时长如何记录？', { entryId: 4, documentId: 7, sections: ['二、（五）'], score: top - 0.03, coverage: 0.4, answerText: '按次登记服务时长' }),
  ];

  it('an entry and the source passage it was generated from take one place, so a third fact is offered', () => {
    const d = decide(result('帮办志愿者怎么招', volunteers(0.5)));
    // The answer and its 猜你想问, as the citizen sees them: the passage restating the answer is not offered again.
    expect(d.outcome).toBe('answered');
    expect([d.top, ...d.suggestions].map((c) => c?.entryId)).toEqual([1, 3, 4]);
  });

  it('the same when nothing is answered: three different facts, not the same fact twice', () => {
    const d = decide(result('帮办志愿者怎么招', volunteers(0.3)));
    expect(d.outcome).toBe('suggest');
    expect(d.suggestions.map((c) => c.entryId)).toEqual([1, 3, 4]);
  });
});
