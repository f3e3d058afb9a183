import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, afterEach } from 'vitest';
import { parseColloquial, readColloquialFile, Synonyms } from '../server/search/synonyms.js';
import { loadColloquial } from '../server/search/lexicon.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { smallKb, OFFICIAL_ENTRIES } from './helpers/small-kb.js';

describe('口语 → 官方用语词表', () => {
  let s: Awaited<ReturnType<typeof smallKb>> | null = null;
  afterEach(() => {
    s?.cleanup();
    s = null;
  });

  it('口语提问答出用官方用语写的条目', async () => {
    s = await smallKb(OFFICIAL_ENTRIES);
    const res = await s.answers.answer({ question: '产假工资怎么领' });
    expect(res.outcome).toBe('answered');
    expect(res.answer?.question).toBe('生育津贴如何申领？');
  });

  it('词典接上的官方词也算字二元组匹配：与提问没有一个相同字的条目，字二元组 BM25 仍排第一', async () => {
    s = await smallKb(OFFICIAL_ENTRIES);
    const { candidates } = await s.engine.search('产假工资怎么领', {}, 3);
    expect(candidates[0].question).toBe('生育津贴如何申领？');
    expect(candidates[0].grams).toBe(1); // the best of this query's candidates, through 生育津贴's bigrams
    expect(candidates[0].bigramCoverage).toBe(0); // … while none of the question's own characters is in it
  });

  it('没有这组口语词时同一问题答不出（数据目录里的 colloquial.txt 优先于自带的）', async () => {
    s = await smallKb(OFFICIAL_ENTRIES, { 'colloquial.txt': '# 空词表\n' });
    const res = await s.answers.answer({ question: '产假工资怎么领' });
    expect(res.outcome).not.toBe('answered');
  });

  it('词表里的口语词分词时是一个词：“想问市监局”不会被切成“问市 / 监局”', async () => {
    s = await smallKb([
      { category: 'hotline', question: '市场监督管理局的咨询电话是多少？', answer: '拨打 12315 或 12345 咨询。' },
      { category: 'guide', question: '居住证怎么办理？', answer: '在“随申办”提交居住登记后申领居住证。' },
    ]);
    const res = await s.engine.search('想问市监局办事的事 咨询电话在哪能查到', {}, 3);
    expect(res.concepts.map((c) => c.text)).toContain('市监局');
    expect(res.candidates[0].question).toBe('市场监督管理局的咨询电话是多少？');
    expect(res.candidates[0].coverage).toBeGreaterThan(0.3);
  });

  it('单向：口语词扩展出官方词，官方词不扩展出口语词', () => {
    const syn = new Synonyms([], parseColloquial('产假工资 产假的钱 => 生育津贴\n'));
    expect(syn.match('产假工资怎么领')).toEqual([{ found: '产假工资', members: ['产假工资', '产假的钱', '生育津贴'] }]);
    expect(syn.match('生育津贴怎么领')).toEqual([]);
  });

  it('与双向同义词并用时最长匹配优先，只在分词边界上匹配', () => {
    const syn = new Synonyms([['执照', '营业执照']], parseColloquial('营业值照 => 营业执照\n补 => 补办\n'));
    expect(syn.match('营业值照').map((m) => m.found)).toEqual(['营业值照']);
    expect(syn.match('执照怎么补', new Set([0, 2, 4, 5])).map((m) => m.found)).toEqual(['执照', '补']);
    expect(syn.match('补贴', new Set([0, 2]))).toEqual([]);
  });

  it('格式错误的行报出文件名和编辑器里的行号', () => {
    const text = '# 注释\n\n产假工资 => 生育津贴\n产假的钱 生育津贴\n';
    expect(() => parseColloquial(text)).toThrow('colloquial.txt 第 4 行：缺少 “=>”');
    expect(() => parseColloquial('a => b => c')).toThrow('第 1 行：一行只能有一个 “=>”');
    expect(() => parseColloquial('\n => 生育津贴')).toThrow('第 2 行：“=>” 左边没有口语词');
    expect(() => parseColloquial('产假工资 =>')).toThrow('第 1 行：“=>” 右边没有官方词');
  });

  it('数据目录里的词表有错时，启动失败并指出哪一行', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'colloquial.txt'), '# 自定义\n产假工资 => 生育津贴\n\n产假的钱\n');
    expect(() => loadColloquial(dir)).toThrow('colloquial.txt 第 4 行');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('自带的词表能解析，覆盖各个办事领域', () => {
    const groups = readColloquialFile(path.join(REPO_ROOT, 'kb-data', 'colloquial.txt'));
    expect(groups.length).toBeGreaterThanOrEqual(250);
    const syn = new Synonyms([], groups);
    for (const [question, official] of [
      ['开个公司要啥材料', '企业开办'],
      ['工积金怎么取出来', '公积金'],
      ['驾照到期了', '驾驶证'],
      ['准生证怎么办', '生育登记'],
      ['房本加名', '不动产变更登记'],
      ['找真人', '线上人工帮办'],
    ]) {
      expect(syn.match(question).flatMap((m) => m.members)).toContain(official);
    }
  });
});
