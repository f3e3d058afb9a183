/**
 * Builtin embedder: signed feature hashing, no weights, no network.
 *
 * Features of a text: words from the injected tokenizer (jieba in production),
 * CJK character bigrams (robust to segmentation differences: "丢了怎么补" vs
 * "遗失补办" still share "补"-bigrams with the passage) and single CJK
 * characters at a low weight. Each feature is hashed (FNV-1a 32-bit) into one of
 * `dimensions` buckets with a ±1 sign from a second mix of the hash, weighted by
 * type × (1 + ln tf), then the vector is L2-normalised.
 *
 * Everything is a pure function of the text: same input → same bits, on any
 * machine (feature order comes from the text, not from hashing or randomness).
 */
import type { Embedder } from './embedder.js';

export type Tokenize = (text: string) => string[];

export interface BuiltinEmbedderOptions {
  dimensions?: number;
  /** Word segmenter (e.g. jieba cut). Default: CJK characters and ASCII words. */
  tokenize?: Tokenize;
  /**
   * Short name of the injected tokenizer (e.g. "jieba"), stamped into the id, because
   * a different segmenter gives different vectors. Omit when using the default one.
   */
  tokenizerId?: string;
}

/** Feature-type weights: whole words carry most meaning, bigrams glue paraphrases, characters are a weak back-off. */
const WORD_WEIGHT = 1.0;
const BIGRAM_WEIGHT = 0.7;
const CHAR_WEIGHT = 0.25;

const HAN = /\p{Script=Han}/u;
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;
const DEFAULT_TOKEN = /\p{Script=Han}|[\p{L}\p{N}]+/gu;

/** Default segmenter: each CJK character alone, runs of other letters/digits as words. */
export const defaultTokenize: Tokenize = (text) => text.match(DEFAULT_TOKEN) ?? [];

/** FNV-1a 32-bit over UTF-16 code units, seeded by the feature type so types never collide on purpose. */
function fnv1a(type: number, s: string): number {
  let h = (0x811c9dc5 ^ type) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3 finaliser: decorrelates the sign bit from the bucket (bucket = h % dims uses the low bits). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Feature types; also the hash seed and the one-digit key prefix in the tf map. */
const Feature = { Word: 1, Bigram: 2, Char: 3 } as const;
type Feature = (typeof Feature)[keyof typeof Feature];

export class BuiltinEmbedder implements Embedder {
  readonly kind = 'builtin' as const;
  readonly id: string;
  readonly dimensions: number;
  private readonly tokenize: Tokenize;

  constructor(opts: BuiltinEmbedderOptions = {}) {
    this.dimensions = opts.dimensions ?? 384;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 8) throw new Error(`builtin embedder: bad dimensions ${this.dimensions}`);
    this.tokenize = opts.tokenize ?? defaultTokenize;
    this.id = `builtin-hash-v1${opts.tokenizerId ? `+${opts.tokenizerId}` : ''}/${this.dimensions}`;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embed(text);
  }

  async embedPassages(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embed(t));
  }

  /** Synchronous core, exposed for callers that want to skip the promise. */
  embed(text: string): Float32Array {
    // NFKC folds full-width letters/digits (common in government documents) to ASCII.
    const norm = text.normalize('NFKC').toLowerCase();
    const counts = new Map<string, number>(); // key: type digit + feature text
    const add = (type: Feature, s: string) => {
      const key = type + s;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    };

    for (const tok of this.tokenize(norm)) {
      const t = tok.trim();
      if (t && HAS_WORD_CHAR.test(t)) add(Feature.Word, t);
    }
    // Bigrams only inside runs of Han characters; iterate by code point (CJK ext. B is astral).
    let prev = '';
    for (const ch of norm) {
      if (HAN.test(ch)) {
        add(Feature.Char, ch);
        if (prev) add(Feature.Bigram, prev + ch);
        prev = ch;
      } else {
        prev = '';
      }
    }

    const acc = new Float64Array(this.dimensions);
    for (const [key, tf] of counts) {
      const type = key.charCodeAt(0) - 48;
      const weight = type === Feature.Word ? WORD_WEIGHT : type === Feature.Bigram ? BIGRAM_WEIGHT : CHAR_WEIGHT;
      const h = fnv1a(type, key.slice(1));
      const sign = mix(h) & 1 ? -1 : 1;
      acc[h % this.dimensions] += sign * weight * (1 + Math.log(tf));
    }
    return l2normalize(acc);
  }
}

/** L2-normalise into a Float32Array; an all-zero input stays all zero (never NaN). */
export function l2normalize(v: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const out = new Float32Array(v.length);
  if (sum === 0 || !Number.isFinite(sum)) return out;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * inv;
  return out;
}
