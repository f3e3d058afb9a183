/** 同义词与词典: the synonym groups, the words the tokenizer keeps whole and the colloquial → official lexicon; each saved in the KB with history, exported and imported as files. */
import { api, download, upload } from '../api.js';
import { h, add, field, attempt, fmtTime, replace, toast } from '../dom.js';
import type { Ctx } from '../main.js';
import type { LexiconName as Name, LexiconSave } from '../../../shared/admin.js';

const FILES: Record<Name, string> = { synonyms: 'synonyms.txt', dictionary: 'dictionary.txt', colloquial: 'colloquial.txt' };

/** The saves of a list, newest first: who saved it when (Shanghai time). */
async function historyList(name: Name): Promise<HTMLElement> {
  const { saves } = await api<{ saves: LexiconSave[] }>('GET', `/admin/lexicon/${name}/history`);
  return saves.length
    ? h('details', { class: 'hint' }, h('summary', {}, `保存记录（${saves.length} 次）`), h('ul', { class: 'list-plain', 'data-testid': `${name}-history` }, saves.map((v) => h('li', {}, `${fmtTime(v.editedAt)} ${v.editedBy} 保存，${v.lines} 行`))))
    : h('p', { class: 'hint', 'data-testid': `${name}-history` }, '从未修改：使用程序自带的词表文件。');
}

/** Uploads a file replacing the list; the server refuses it whole with every bad line named. */
function importFile(name: Name, file: File): Promise<{ message: string }> {
  return upload<{ message: string }>(`/admin/lexicon/${name}/import`, file);
}

export async function lexiconView(root: HTMLElement, ctx: Ctx): Promise<void> {
  const [{ groups }, { words }, colloquial] = await Promise.all([
    api<{ groups: string[][] }>('GET', '/admin/synonyms'),
    api<{ words: string[] }>('GET', '/admin/dictionary'),
    api<{ text: string; groups: number }>('GET', '/admin/colloquial'),
  ]);
  const canWrite = ctx.can('synonyms:write');
  const synonyms = h('textarea', { rows: 16, disabled: !canWrite, spellcheck: 'false', value: groups.map((g) => g.join(' ')).join('\n') });
  const dictionary = h('textarea', { rows: 16, disabled: !canWrite, spellcheck: 'false', value: words.join('\n') });
  const colloquialText = h('textarea', { rows: 16, disabled: !canWrite, spellcheck: 'false', value: colloquial.text });
  const counts: Record<Name, HTMLSpanElement> = {
    synonyms: h('span', { class: 'hint' }, `${groups.length} 组`),
    dictionary: h('span', { class: 'hint' }, `${words.length} 个词`),
    colloquial: h('span', { class: 'hint' }, `${colloquial.groups} 组`),
  };
  const histories: Record<Name, HTMLElement> = { synonyms: h('div', {}), dictionary: h('div', {}), colloquial: h('div', {}) };
  const showHistory = async (name: Name) => replace(histories[name], await historyList(name));

  /** Reloads what the server now uses (after a save or an import). */
  async function reload(name: Name): Promise<void> {
    if (name === 'synonyms') {
      const out = await api<{ groups: string[][] }>('GET', '/admin/synonyms');
      synonyms.value = out.groups.map((g) => g.join(' ')).join('\n');
      counts.synonyms.textContent = `${out.groups.length} 组`;
    } else if (name === 'dictionary') {
      const out = await api<{ words: string[] }>('GET', '/admin/dictionary');
      dictionary.value = out.words.join('\n');
      counts.dictionary.textContent = `${out.words.length} 个词`;
    } else {
      const out = await api<{ text: string; groups: number }>('GET', '/admin/colloquial');
      colloquialText.value = out.text;
      counts.colloquial.textContent = `${out.groups} 组`;
    }
    await showHistory(name);
  }

  function fileButtons(name: Name, label: string): HTMLElement {
    const input = h('input', { type: 'file', accept: '.txt,text/plain', hidden: true, 'data-testid': `${name}-import-file` });
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      input.value = '';
      if (!file || !window.confirm(`用文件“${file.name}”替换当前的${label}？文件中有错误的行时整个文件不导入。`)) return;
      const out = await attempt(() => importFile(name, file));
      if (out) {
        toast(out.message);
        await attempt(() => reload(name));
      }
    });
    return h(
      'div',
      { class: 'actions' },
      h('button', { class: 'btn', type: 'button', 'data-testid': `${name}-export`, onclick: () => void attempt(() => download(`/admin/lexicon/${name}/export`)) }, `导出（${FILES[name]}）`),
      canWrite ? h('button', { class: 'btn', type: 'button', 'data-testid': `${name}-import`, onclick: () => input.click() }, '导入文件…') : null,
      canWrite ? input : null,
    );
  }

  function listForm(name: Name, title: string, hint: string, textarea: HTMLTextAreaElement, saveLabel: string, save: () => Promise<unknown>): HTMLFormElement {
    const form = h(
      'form',
      { class: 'panel', 'aria-label': title },
      h('h2', {}, `${title} `, counts[name]),
      field(hint, textarea),
      canWrite ? h('button', { class: 'btn primary', type: 'submit' }, saveLabel) : null,
      fileButtons(name, title),
      histories[name],
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      // the text as typed: bad lines are reported with their line numbers, and nothing is saved
      if (await attempt(save, `${title}已保存，检索即刻生效`)) await attempt(() => reload(name));
    });
    return form;
  }

  add(
    root,
    h('h1', {}, '同义词与领域词典'),
    h('p', { class: 'hint' }, '修改保存在知识库中（每次保存都有记录，随备份一起备份、恢复），不改动程序自带的词表文件；从未修改过的词表使用自带的文件。可导出为文件，或导入文件替换整张词表。'),
    canWrite ? null : h('p', { class: 'hint' }, '您的角色只能查看和导出；修改需要编辑或管理员角色。'),
    h(
      'div',
      { class: 'editor' },
      listForm('synonyms', '同义词', '每行一组，词之间用空格或逗号分隔（如：营业执照 执照 营业证照）', synonyms, '保存同义词', () => api('PUT', '/admin/synonyms', { text: synonyms.value })),
      listForm('dictionary', '领域词典', '每行一个词（分词时保持完整，如：一网通办、免申即享）', dictionary, '保存词典', () => api('PUT', '/admin/dictionary', { text: dictionary.value })),
    ),
    listForm(
      'colloquial', '口语词典', '每行一组“口语词 口语词2 => 官方词”（单向：提问里的口语词按官方词检索，官方词不反向扩展；# 开头为注释）', colloquialText, '保存口语词典',
      () => api('PUT', '/admin/colloquial', { text: colloquialText.value }),
    ),
  );
  await Promise.all((['synonyms', 'dictionary', 'colloquial'] as Name[]).map(showHistory));
}
