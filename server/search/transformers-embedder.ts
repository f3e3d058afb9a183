/**
 * Embedder backed by a local ONNX model run through @huggingface/transformers
 * (onnxruntime-node). Strictly offline: files come from `${modelDir}/${modelName}`,
 * remote downloads are disabled (`npm run fetch-model` fetches them beforehand).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Embedder } from './embedder.js';
import { l2normalize } from './builtin-embedder.js';

export type Pooling = 'cls' | 'mean' | 'last_token';
type Dtype = 'q8' | 'fp32' | 'fp16' | 'int8' | 'uint8' | 'q4';

/** What `findModel` learned from the model folder. */
export interface ModelInfo {
  root: string;
  modelName: string;
  dtype: Dtype;
  onnxFile: string;
  pooling: Pooling;
  /** Prepended to queries (bge retrieval instruction), '' for none. */
  queryPrompt: string;
  /** Prepended to passages (e.g. "passage: " for e5), usually ''. */
  passagePrompt: string;
  hiddenSize?: number;
}

/** ONNX weight files in order of preference: the int8 export is ~4× smaller and faster on CPU, with near-identical retrieval quality. */
const WEIGHT_FILES: Array<[Dtype, string]> = [
  ['q8', 'model_quantized.onnx'],
  ['fp32', 'model.onnx'],
  ['int8', 'model_int8.onnx'],
  ['uint8', 'model_uint8.onnx'],
  ['fp16', 'model_fp16.onnx'],
  ['q4', 'model_q4.onnx'],
];

const BGE_ZH_QUERY = '为这个句子生成表示以用于检索相关文章：';
const BGE_EN_QUERY = 'Represent this sentence for searching relevant passages: ';

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Files a usable model folder must hold; listed in messages for operators. */
export const REQUIRED_MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx 或/or onnx/model.onnx'];

/**
 * Inspects `${modelDir}/${modelName}`; undefined when it does not hold a runnable model.
 * Pooling and prompts come from the standard sentence-transformers files when present
 * (1_Pooling/config.json, config_sentence_transformers.json), else from the model name:
 * bge → CLS pooling + its retrieval instruction on queries; anything else → mean pooling.
 */
export function findModel(modelDir: string, modelName: string): ModelInfo | undefined {
  const root = path.resolve(modelDir, modelName);
  const has = (f: string) => fs.existsSync(path.join(root, f));
  // transformers.js v4 needs tokenizer_config.json as well as tokenizer.json.
  if (!has('config.json') || !has('tokenizer.json') || !has('tokenizer_config.json')) return undefined;
  const weights = WEIGHT_FILES.find(([, f]) => has(path.join('onnx', f)));
  if (!weights) return undefined;

  const lower = modelName.toLowerCase();
  const isBge = /(^|[/_-])bge/.test(lower) && !lower.includes('bge-m3');
  const st = readJson(path.join(root, '1_Pooling', 'config.json'));
  let pooling: Pooling = isBge ? 'cls' : 'mean';
  if (st?.pooling_mode_cls_token === true) pooling = 'cls';
  else if (st?.pooling_mode_mean_tokens === true) pooling = 'mean';
  else if (st?.pooling_mode_lasttoken === true) pooling = 'last_token';

  const prompts = readJson(path.join(root, 'config_sentence_transformers.json'))?.prompts as Record<string, unknown> | undefined;
  const prompt = (k: string) => (typeof prompts?.[k] === 'string' ? (prompts[k] as string) : undefined);
  const nameQuery = isBge ? (/zh|chinese/.test(lower) ? BGE_ZH_QUERY : BGE_EN_QUERY) : '';
  const config = readJson(path.join(root, 'config.json'));
  return {
    root,
    modelName,
    dtype: weights[0],
    onnxFile: path.join(root, 'onnx', weights[1]),
    pooling,
    queryPrompt: prompt('query') ?? nameQuery,
    passagePrompt: prompt('document') ?? prompt('passage') ?? '',
    hiddenSize: typeof config?.hidden_size === 'number' ? config.hidden_size : undefined,
  };
}

/** Passages per forward pass: bounded memory for long chunks, still amortises the call overhead. */
const BATCH = 32;

type Extractor = (texts: string[], opts: { pooling: Pooling; normalize: boolean }) => Promise<{ data: unknown; dims: number[] }>;

export class TransformersEmbedder implements Embedder {
  readonly kind = 'transformers' as const;
  readonly id: string;

  private constructor(
    readonly info: ModelInfo,
    readonly dimensions: number,
    private readonly extractor: Extractor,
  ) {
    // Weight precision and pooling change the vectors, so both are part of the id.
    this.id = `transformers/${info.modelName}:${info.dtype}:${info.pooling}`;
  }

  /** Loads the pipeline from local files only and runs one probe to learn the real output size. */
  static async load(modelDir: string, info: ModelInfo): Promise<TransformersEmbedder> {
    // Imported lazily: pulling in onnxruntime costs start-up time the builtin path does not need.
    const { pipeline, env } = await import('@huggingface/transformers');
    env.localModelPath = path.resolve(modelDir);
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    const pipe = await pipeline('feature-extraction', info.modelName, {
      local_files_only: true,
      dtype: info.dtype,
      device: 'cpu',
    });
    const extractor: Extractor = (texts, opts) => pipe(texts, opts) as unknown as ReturnType<Extractor>;
    const probe = await extractor(['测试'], { pooling: info.pooling, normalize: true });
    const dims = probe.dims[probe.dims.length - 1];
    if (probe.dims.length !== 2 || !dims) throw new Error(`unexpected embedding shape [${probe.dims.join(', ')}] from ${info.onnxFile}`);
    return new TransformersEmbedder(info, dims, extractor);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [v] = await this.run([this.info.queryPrompt + text]);
    return v;
  }

  async embedPassages(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const batch = texts.slice(i, i + BATCH).map((t) => this.info.passagePrompt + t);
      out.push(...(await this.run(batch)));
    }
    return out;
  }

  private async run(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const t = await this.extractor(texts, { pooling: this.info.pooling, normalize: true });
    const data = t.data as Float32Array;
    const d = this.dimensions;
    // Re-normalise per row: keeps unit length exact and turns a degenerate 0/0 row into zeros rather than NaN.
    return texts.map((_, r) => l2normalize(data.subarray(r * d, (r + 1) * d).map((x) => (Number.isNaN(x) ? 0 : x))));
  }
}
