#!/usr/bin/env node
/**
 * npm run reindex -- [--data-dir DIR]
 *
 * Discards the derived search indexes of a data directory (index/: FTS5 full-text index, HNSW vectors) and builds
 * them again from the knowledge base, with the embedder KB_EMBEDDER selects (as the server would). Stop the server
 * first: a running server keeps its own in-memory copy and would not see the result (the KB being open elsewhere is
 * refused). The server also rebuilds whatever disagrees with the KB when it starts; this is for when an index is
 * suspected to be wrong in a way its stamps do not show, or to time a rebuild.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseCliArgs, reportFailure } from '../server/cli/args.js';
import { ProgressBar } from '../server/cli/progress.js';
import { dataDir, kbLocation } from '../server/config.js';
import { describeLocation, kbExists } from '../server/kb/index.js';
import { createServices, envEmbedderMode } from '../server/services.js';
import { assertNotInUse, KbFileError } from './kb-file.js';

const USAGE = '用法: npm run reindex -- [--data-dir DIR]（先停止服务）';

async function main(argv: string[]): Promise<number> {
  const args = parseCliArgs({ args: argv, options: { 'data-dir': { type: 'string' }, help: { type: 'boolean' } } });
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  const dir = dataDir(args.values['data-dir']);
  const location = kbLocation(dir);
  if (!kbExists(location)) throw new KbFileError(`找不到知识库 ${describeLocation(location)}（用 --data-dir 或 KB_DATA_DIR 指定数据目录）`);
  // a replica's index is its own (its data directory); on SQLite the KB file must not be open in a running server
  if (location.kind === 'sqlite') assertNotInUse(location.file, '重建索引');

  // Without saved indexes, opening the services already builds them from scratch: no need to do it twice.
  const hadIndex = fs.existsSync(path.join(dir, 'index'));
  let t = performance.now();
  process.stderr.write(hadIndex ? '打开知识库并载入现有索引…\n' : '打开知识库（没有索引，从知识库建立）…\n');
  const s = await createServices({ dataDir: dir, embedderMode: envEmbedderMode() });
  try {
    process.stderr.write(`已打开（${((performance.now() - t) / 1000).toFixed(1)} s）。向量模型：${s.embedderNote}\n`);
    const published = s.kb.entries.count('published');

    // The engine embeds in batches: count them for the progress bar (embedding is the slow part with a model).
    const embedder = s.engine.embedder;
    const embedPassages = embedder.embedPassages.bind(embedder);
    let embedded = 0;
    let bar: ProgressBar | null = null;
    embedder.embedPassages = async (texts) => {
      const vectors = await embedPassages(texts);
      embedded += texts.length;
      bar ??= new ProgressBar('向量', published);
      bar.update(embedded);
      return vectors;
    };

    if (hadIndex) {
      t = performance.now();
      process.stderr.write(`重建索引：${published} 条已发布条目，分词并写入全文索引…\n`);
      await s.engine.rebuild();
    }
    s.engine.flush();
    (bar as ProgressBar | null)?.done();
    const st = s.engine.status();
    console.log(`索引已重建：${st.entries} 条（知识库版本 ${st.kbVersion}），用时 ${((performance.now() - t) / 1000).toFixed(1)} s`);
    console.log(`分词 ${st.tokenizer}，同义词 ${st.synonyms} 组，向量 ${st.embedder.id}（${st.embedder.dimensions} 维）`);
    console.log(`索引目录：${path.join(dir, 'index')}`);
    return st.entries === published ? 0 : 1;
  } finally {
    s.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => process.exit(reportFailure(err, USAGE, '重建索引失败', [KbFileError])),
);
