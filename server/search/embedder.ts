/**
 * Text embedders for semantic search: one interface, two implementations.
 *  - transformers: a local ONNX sentence model (default Xenova/bge-small-zh-v1.5);
 *  - builtin: deterministic feature hashing, always available, no weights.
 * `loadEmbedder` picks one and says why in a log-ready note.
 */
import path from 'node:path';
import { BuiltinEmbedder, type Tokenize } from './builtin-embedder.js';
import { findModel, REQUIRED_MODEL_FILES, TransformersEmbedder } from './transformers-embedder.js';

export interface Embedder {
  /** Stable id stamped on derived indexes, e.g. "builtin-hash-v1/384" or "transformers/Xenova/bge-small-zh-v1.5:q8:cls". Changes whenever vectors would change. */
  readonly id: string;
  readonly dimensions: number;
  readonly kind: 'builtin' | 'transformers';
  /** Query side (bge models prepend their retrieval instruction). L2-normalised. */
  embedQuery(text: string): Promise<Float32Array>;
  /** Passage side, batched. L2-normalised. */
  embedPassages(texts: string[]): Promise<Float32Array[]>;
}

export type EmbedderMode = 'auto' | 'transformers' | 'builtin';

export interface LoadedEmbedder {
  embedder: Embedder;
  /** Human-readable line for the start-up log: which embedder and why; when the model failed to load, the loader's reason (which may name a path of this machine). */
  note: string;
  /** The same for /healthz: differs from `note` only when the model failed to load (no reason, so no path of this machine). */
  publicNote: string;
}

export interface LoadEmbedderOptions {
  mode: EmbedderMode;
  /** Folder holding models as `${modelDir}/${owner}/${name}` (e.g. kb-data/models). */
  modelDir: string;
  /** Default 'Xenova/bge-small-zh-v1.5'. */
  modelName?: string;
  /** Word segmenter for the builtin embedder (jieba in production). */
  tokenize?: Tokenize;
  /** Name of that segmenter (e.g. "jieba"), stamped into the builtin id so swapping it forces a re-index. */
  tokenizerId?: string;
  /** Builtin vector size, default 384. */
  dimensions?: number;
}

export const DEFAULT_MODEL = 'Xenova/bge-small-zh-v1.5';

export type { Tokenize } from './builtin-embedder.js';
export { BuiltinEmbedder, defaultTokenize } from './builtin-embedder.js';

export async function loadEmbedder(opts: LoadEmbedderOptions): Promise<LoadedEmbedder> {
  const modelName = opts.modelName ?? DEFAULT_MODEL;
  const root = path.resolve(opts.modelDir, modelName);
  const builtin = () => new BuiltinEmbedder({ dimensions: opts.dimensions, tokenize: opts.tokenize, tokenizerId: opts.tokenizerId });

  if (opts.mode === 'builtin') {
    const embedder = builtin();
    return loaded(embedder, `内置向量 ${embedder.id}（KB_EMBEDDER=builtin）`);
  }

  const info = findModel(opts.modelDir, modelName);
  if (!info) {
    if (opts.mode === 'transformers') {
      throw new Error(
        `没有找到语义模型 ${modelName}（${root} 下需有 ${REQUIRED_MODEL_FILES.join('、')}）：请运行 npm run fetch-model 下载，或把 KB_EMBEDDER 设为 auto 或 builtin`,
      );
    }
    const embedder = builtin();
    return loaded(embedder, `内置向量 ${embedder.id}（没有语义模型；npm run fetch-model 可下载）`);
  }

  try {
    const embedder = await TransformersEmbedder.load(opts.modelDir, info);
    const prompt = info.queryPrompt ? '，查询加检索指令' : '';
    return loaded(embedder, `语义模型 ${modelName}（${info.dtype}，${info.pooling} 池化，${embedder.dimensions} 维${prompt}）`);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (opts.mode === 'transformers') throw new Error(`加载语义模型 ${root} 失败：${reason}`, { cause: err });
    // auto: a broken download must not keep the service from starting; the id change triggers a re-index.
    const embedder = builtin();
    return {
      embedder,
      note: `内置向量 ${embedder.id}（语义模型加载失败：${reason}；可重新运行 npm run fetch-model）`,
      publicNote: `内置向量 ${embedder.id}（语义模型加载失败，原因见服务启动日志）`,
    };
  }
}

/** An embedder whose note says nothing of this machine: the log and /healthz show the same line. */
function loaded(embedder: Embedder, note: string): LoadedEmbedder {
  return { embedder, note, publicNote: note };
}
