/** 同义词与领域词典: the synonym groups used to expand queries, and the words the tokenizer keeps whole. */
import { api } from '../api.js';
import { h, add, field, attempt } from '../dom.js';
import type { Ctx } from '../main.js';

export async function lexiconView(root: HTMLElement, ctx: Ctx): Promise<void> {
  const [{ groups }, { words }] = await Promise.all([
    api<{ groups: string[][] }>('GET', '/admin/synonyms'),
    api<{ words: string[] }>('GET', '/admin/dictionary'),
  ]);
  const canWrite = ctx.can('synonyms:write');
  const synonyms = h('textarea', { rows: 16, disabled: !canWrite, spellcheck: 'false', value: groups.map((g) => g.join(' ')).join('\n') });
  const dictionary = h('textarea', { rows: 16, disabled: !canWrite, spellcheck: 'false', value: words.join('\n') });
  const synCount = h('span', { class: 'hint' }, `${groups.length} 组`);
  const dictCount = h('span', { class: 'hint' }, `${words.length} 个词`);

  const synForm = h(
    'form',
    { class: 'panel', 'aria-label': '同义词' },
    h('h2', {}, '同义词 ', synCount),
    field('每行一组，词之间用空格或逗号分隔（如：营业执照 执照 营业证照）', synonyms),
    canWrite ? h('button', { class: 'btn primary', type: 'submit' }, '保存同义词') : null,
  );
  synForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    // the text as typed: a bad line is reported with its line number
    const out = await attempt(() => api<{ groups: string[][] }>('PUT', '/admin/synonyms', { text: synonyms.value }), '同义词已保存，检索即刻生效');
    if (out) synCount.textContent = `${out.groups.length} 组`;
  });

  const dictForm = h(
    'form',
    { class: 'panel', 'aria-label': '领域词典' },
    h('h2', {}, '领域词典 ', dictCount),
    field('每行一个词（分词时保持完整，如：一网通办、免申即享）', dictionary),
    canWrite ? h('button', { class: 'btn primary', type: 'submit' }, '保存词典') : null,
  );
  dictForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const out = await attempt(() => api<{ words: string[] }>('PUT', '/admin/dictionary', { text: dictionary.value }), '词典已保存，检索即刻生效');
    if (out) dictCount.textContent = `${out.words.length} 个词`;
  });

  add(root, 
    h('h1', {}, '同义词与领域词典'),
    h('p', { class: 'hint' }, '修改保存在知识库中（随备份一起备份、恢复），不改动程序自带的词表文件；从未修改过的词表使用自带的文件。'),
    canWrite ? null : h('p', { class: 'hint' }, '您的角色只能查看；修改需要编辑或管理员角色。'),
    h('div', { class: 'editor' }, synForm, dictForm),
  );
}
