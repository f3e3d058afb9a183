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
