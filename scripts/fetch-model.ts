/**
 * Downloads the sentence-embedding model used by the search service into `${dir}/${model}` (the folder the service
 * reads: KB_MODEL_DIR, see server/search/transformers-embedder.ts), so the server can run it fully offline.
 *
 *   npm run fetch-model -- [--model Xenova/bge-small-zh-v1.5] [--dir kb-data/models] [--mirror https://hf-mirror.com] [--weights q8|fp32|all] [--force]
 *
 * The download is @huggingface/transformers' own: its file cache, pointed at the models folder, keeps a file as
 * `${cacheDir}/${model}/${file}` — the layout the service reads — and writes it under a temporary name renamed when
 * complete, so an interrupted run never leaves a file that looks usable. Loading the tokenizer and the model
 * fetches what the service will load and checks that it loads. The host is --mirror (or HF_ENDPOINT, e.g.
 * https://hf-mirror.com for Chinese intranets), else huggingface.co. Progress (bytes per file) goes to stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dataDir } from '../server/config.js';
import { parseCliArgs, UsageError, isMainModule } from '../server/cli/args.js';
import type { ProgressInfo } from '@huggingface/transformers';

export const DEFAULT_MODEL = 'Xenova/bge-small-zh-v1.5';
const DEFAULT_ENDPOINT = 'https://huggingface.co';

const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
/**
 * The sentence-transformers hints the embedder reads (pooling, query/passage prompts). transformers.js has no loader
 * for them, so they are two small GETs through its fetch; a model without them still works (defaults by name).
 */
const HINTS = ['1_Pooling/config.json', 'config_sentence_transformers.json'];
const QUANTIZED = 'onnx/model_quantized.onnx';
const FULL = 'onnx/model.onnx';
const WEIGHT_FILE = { q8: QUANTIZED, fp32: FULL } as const;

export type WeightChoice = 'q8' | 'fp32' | 'all';

export interface FetchModelOptions {
  model?: string;
  /** Models folder; the files land in `${dir}/${model}`. */
  dir: string;
  /** The hub or a mirror of it (same URL layout). Default HF_ENDPOINT, else huggingface.co. */
  endpoint?: string;
  /** q8 (default): the int8 export the embedder prefers, falling back to fp32 when absent. */
  weights?: WeightChoice;
  /** Re-download files that already exist. */
  force?: boolean;
  /** Abort when no response / no data arrives for this long. Default 30 s. */
  idleTimeoutMs?: number;
}

/** The host could not be reached, or stopped sending: the download did not complete. */
export class NetworkError extends Error {}
/** The host answered, but not with the file (404, 401, 5xx…). */
export class HttpError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}
/** No response, or no data, for the idle timeout. */
class StalledError extends Error {}

export const fileUrl = (endpoint: string, model: string, file: string) => `${endpoint.replace(/\/+$/, '')}/${model}/resolve/main/${file}`;

/** Instructions for placing the files by hand, used when the download cannot happen. */
export function manualInstructions(root: string, endpoint: string, model: string): string {
  const entries: Array<[string, string]> = [
    ...REQUIRED.map((f): [string, string] => [f, '']),
    [QUANTIZED, `（或 ${FULL}）`],
    ...HINTS.map((f): [string, string] => [f, '（可选）']),
  ];
  const lines = entries.map(([f, note]) => `  ${path.join(root, f)}${note}\n      ← ${fileUrl(endpoint, model, f)}`);
  return (
    `请在能上网的机器下载以下文件，按相同相对路径放到 ${root}：\n` +
    `${lines.join('\n')}\n` +
    `也可用 --mirror 或 HF_ENDPOINT（如 https://hf-mirror.com）改用镜像后重试。\n` +
    `放好后重启服务（KB_EMBEDDER=auto 时会自动使用该模型）。`
  );
}

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
}

/** Byte progress for one file: a live line on a terminal, a line per ~10% otherwise. */
function progress(file: string) {
  const tty = Boolean(process.stderr.isTTY);
  let lastTick = 0;
  let lastStep = -1;
  let done = 0;
  let total = 0;
  const line = () => `  ${file}: ${formatBytes(done)}${total ? ` / ${formatBytes(total)} (${Math.floor((done / total) * 100)}%)` : ''}`;
  return {
    update(loaded: number, size: number) {
      done = loaded;
      total = size > 0 ? size : 0;
      if (tty) {
        const now = Date.now();
        if (now - lastTick < 100) return;
        lastTick = now;
        process.stderr.write(`\r\x1b[2K${line()}`);
        return;
      }
      const step = total ? Math.floor((done / total) * 10) : Math.floor(done / (8 << 20));
      // finish() prints the last line, so skip the 100% step here.
      if (step === lastStep || done === 0 || done === total) return;
      lastStep = step;
      process.stderr.write(`${line()}\n`);
    },
    finish(size: number) {
      done = size;
      total = size;
      process.stderr.write(tty ? `\r\x1b[2K${line()} ✓\n` : `${line()} ✓\n`);
    },
  };
}

/** Why a request to `endpoint` failed, for a person: the system's error code from the undici error chain (e.g. ENOTFOUND). */
function describeFetchError(err: unknown, endpoint: string): string {
  let code: string | undefined;
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) code = e.code;
  }
  const host = (() => {
    try {
      return new URL(endpoint).host;
    } catch {
      return endpoint;
    }
  })();
  const why: Record<string, string> = { ENOTFOUND: '找不到这个主机', ECONNREFUSED: '连接被拒绝', ECONNRESET: '连接被中断', ETIMEDOUT: '连接超时', EAI_AGAIN: '域名解析失败' };
  return `连接 ${host} 失败${code ? `（${why[code] ?? code}）` : ''}`;
}

type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * `fetch` that gives up when no response, or no data of the body, arrives for `idleMs` (a dead mirror must not hang
 * the CLI), and tells `failed` which URLs got an error status (the library's errors name the URL, not the status).
 */
function withIdleTimeout(base: Fetch, idleMs: number, failed: Map<string, number>): Fetch {
  return async (input, init) => {
    const ctrl = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const arm = (why: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => ctrl.abort(new StalledError(why)), idleMs).unref();
    };
    arm(`${idleMs} ms 内没有响应`);
    const signal = init?.signal ? AbortSignal.any([init.signal, ctrl.signal]) : ctrl.signal;
    let res: Response;
    try {
      res = await base(input, { ...init, signal });
    } catch (err) {
      clearTimeout(timer);
      throw ctrl.signal.aborted ? ctrl.signal.reason : err;
    }
    if (res.status >= 400) failed.set(String(input), res.status);
    if (!res.body) {
      clearTimeout(timer);
      return res;
    }
    arm(`${idleMs} ms 内没有收到数据`);
    const body = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          arm(`${idleMs} ms 内没有收到数据`);
          out.enqueue(chunk);
        },
        flush() {
          clearTimeout(timer);
        },
      }),
    );
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

export interface FetchResult {
  root: string;
  /** Relative paths now present (downloaded or already there). */
  files: string[];
  /** Bytes downloaded by this run (0 when every file was already there). */
  bytes: number;
}

/** Where a file of the model lands: the library's file cache layout, `${dir}/${model}/${file}`. */
const localFile = (dir: string, model: string, file: string) => path.join(dir, model, file);

export async function fetchModel(opts: FetchModelOptions): Promise<FetchResult> {
  const model = opts.model ?? DEFAULT_MODEL;
  const endpoint = opts.endpoint ?? process.env.HF_ENDPOINT ?? DEFAULT_ENDPOINT;
  const dir = path.resolve(opts.dir);
  const root = path.join(dir, model);
  const weights = opts.weights ?? 'q8';
  const idle = opts.idleTimeoutMs ?? 30_000;
  const { env, LogLevel, AutoConfig, AutoModel, AutoTokenizer, ModelRegistry, ModelFileNotFoundError } = await import('@huggingface/transformers');

  const candidates = [...REQUIRED, QUANTIZED, FULL, ...HINTS];
  if (opts.force) for (const f of candidates) fs.rmSync(localFile(dir, model, f), { force: true });
  const present = new Set(candidates.filter((f) => fs.existsSync(localFile(dir, model, f))));
  process.stderr.write(`下载模型 ${model}（来源 ${endpoint}）→ ${root}\n`);
  for (const f of present) process.stderr.write(`  ${f}：已存在，跳过\n`);

  const bars = new Map<string, ReturnType<typeof progress>>();
  const onProgress = (p: ProgressInfo) => {
    if (p.status !== 'progress' || present.has(p.file)) return;
    let bar = bars.get(p.file);
    if (!bar) bars.set(p.file, (bar = progress(p.file)));
    bar.update(p.loaded, p.total ?? 0);
  };
  const reported = new Set(present);
  /** The last progress line of a file this run downloaded (once). */
  const finish = (file: string) => {
    const f = localFile(dir, model, file);
    if (reported.has(file) || !fs.existsSync(f)) return;
    reported.add(file);
    (bars.get(file) ?? progress(file)).finish(fs.statSync(f).size);
  };

  // The library's settings are process-wide: set for this download, put back afterwards (a test loads models next).
  const saved = {
    remoteHost: env.remoteHost, cacheDir: env.cacheDir, useFSCache: env.useFSCache,
    allowRemoteModels: env.allowRemoteModels, allowLocalModels: env.allowLocalModels, fetch: env.fetch, logLevel: env.logLevel,
  };
  env.remoteHost = `${endpoint.replace(/\/+$/, '')}/`;
  env.cacheDir = dir;
  env.useFSCache = true;
  env.allowRemoteModels = true;
  env.allowLocalModels = false; // files already in the folder are found through the cache, whose layout it is
  const failed = new Map<string, number>();
  env.fetch = withIdleTimeout(saved.fetch as Fetch, idle, failed);
  env.logLevel = LogLevel.NONE; // its English warnings are not for the operator: failures come back as errors, said in Chinese
  const options = { cache_dir: dir, progress_callback: onProgress };
  try {
    await AutoConfig.from_pretrained(model, options); // a wrong model name stops here, at the first file
    finish('config.json');
    for (const f of ['tokenizer.json', 'tokenizer_config.json']) {
      // (the library's tokenizer loader fails obscurely on a missing tokenizer_config.json: ask first)
      if (!present.has(f) && !(await ModelRegistry.get_file_metadata(model, f, { cache_dir: dir })).exists) {
        throw new HttpError(`${endpoint} 上找不到 ${model} 的 ${f}（HTTP 404）：这不是一个 transformers.js 能用的模型`, 404);
      }
    }
    await AutoTokenizer.from_pretrained(model, options);
    for (const f of ['tokenizer.json', 'tokenizer_config.json']) finish(f);

    const available = async (dtype: 'q8' | 'fp32') =>
      present.has(WEIGHT_FILE[dtype]) || (await ModelRegistry.get_file_metadata(model, WEIGHT_FILE[dtype], { cache_dir: dir })).exists;
    const dtypes: Array<'q8' | 'fp32'> = [];
    for (const dtype of weights === 'fp32' ? (['fp32', 'q8'] as const) : (['q8', 'fp32'] as const)) {
      if (await available(dtype)) dtypes.push(dtype);
      if (dtypes.length && weights !== 'all') break;
    }
    if (!dtypes.length) throw new HttpError(`${endpoint} 上的 ${model} 既没有 ${QUANTIZED}，也没有 ${FULL}`, 404);
    for (const dtype of dtypes) {
      // Loading the model downloads config.json and the weights, and checks that they load as the service loads them.
      const loaded = await AutoModel.from_pretrained(model, { ...options, dtype, device: 'cpu' });
      await loaded.dispose();
      finish(WEIGHT_FILE[dtype]);
    }
    for (const f of HINTS) {
      if (present.has(f)) continue;
      if (await fetchHint(env.fetch as Fetch, endpoint, model, f, localFile(dir, model, f))) finish(f);
    }
  } catch (err) {
    throw asFetchError(err, ModelFileNotFoundError, failed, endpoint, model);
  } finally {
    Object.assign(env, saved);
  }
  const files = candidates.filter((f) => fs.existsSync(localFile(dir, model, f)));
  const bytes = files.filter((f) => !present.has(f)).reduce((n, f) => n + fs.statSync(localFile(dir, model, f)).size, 0);
  return { root, files, bytes };
}

/** GETs one optional JSON file into `dest` (temporary name, renamed when complete); false when the model has none. */
async function fetchHint(fetch: Fetch, endpoint: string, model: string, file: string, dest: string): Promise<boolean> {
  const url = fileUrl(endpoint, model, file);
  const headers: Record<string, string> = {};
  // As the library does: only the hub itself gets the token, never a mirror.
  if (process.env.HF_TOKEN && /(^|\.)(huggingface\.co|hf\.co)$/.test(new URL(url).hostname)) headers.authorization = `Bearer ${process.env.HF_TOKEN}`;
  const res = await fetch(url, { headers });
  if (res.status === 404) {
    await res.body?.cancel();
    return false;
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new HttpError(`下载 ${file} 时 ${endpoint} 回答 HTTP ${res.status}`, res.status);
  }
  const body = Buffer.from(await res.arrayBuffer());
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const part = `${dest}.${process.pid}.part`;
  try {
    fs.writeFileSync(part, body);
    fs.renameSync(part, dest);
  } finally {
    fs.rmSync(part, { force: true });
  }
  return true;
}

/** The library's errors as this script's: unreachable or stalled → NetworkError, a refused file → HttpError. */
function asFetchError(err: unknown, NotFound: new (...args: never[]) => Error, failed: Map<string, number>, endpoint: string, model: string): unknown {
  if (err instanceof NetworkError || err instanceof HttpError) return err;
  if (err instanceof StalledError) return new NetworkError(err.message);
  // The library's HTTP errors end with the URL: `…: "https://host/model/resolve/main/file".`
  const url = err instanceof Error ? /"(https?:\/\/[^"]+)"\.?$/.exec(err.message)?.[1] : undefined;
  const file = url && /\/resolve\/[^/]+\/(.+)$/.exec(url)?.[1];
  const status = (url && failed.get(url)) || (err as { status?: number | null }).status || undefined;
  if (err instanceof NotFound) {
    const code = status ?? 404;
    // The hub answers 401 for repositories that do not exist as well as for private ones.
    const hint = code === 401 || code === 403 ? '：模型名有误，或模型需要登录（设置 HF_TOKEN）' : '：请检查模型名';
    return new HttpError(`${endpoint} 上找不到 ${model}${file ? ` 的 ${file}` : ''}（HTTP ${code}）${hint}`, code);
  }
  if (status) return new HttpError(`从 ${endpoint} 下载 ${model}${file ? ` 的 ${file}` : ''} 失败：服务器回答 HTTP ${status}`, status);
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) return new NetworkError(describeFetchError(err, endpoint));
  return err;
}

/** Models folder: --dir, else KB_MODEL_DIR, else `${KB_DATA_DIR:-kb-data}/models`. */
export function defaultModelDir(): string {
  return path.resolve(process.env.KB_MODEL_DIR ?? path.join(dataDir(), 'models'));
}

const USAGE =
  '用法: npm run fetch-model -- [--model Xenova/bge-small-zh-v1.5] [--dir 模型目录] [--mirror https://hf-mirror.com] [--weights q8|fp32|all] [--force]\n' +
  '  --dir     默认 KB_MODEL_DIR，否则 <数据目录>/models\n' +
  '  --mirror  Hugging Face 的镜像（同样的网址布局），默认 HF_ENDPOINT，否则 huggingface.co\n' +
  '  --weights q8（默认，没有时用 fp32）、fp32 或 all（两种都下载）\n' +
  '  --force   已有的文件也重新下载';

async function main(argv: string[]): Promise<number> {
  let model = DEFAULT_MODEL;
  let dir = defaultModelDir();
  let endpoint = process.env.HF_ENDPOINT ?? DEFAULT_ENDPOINT;
  try {
    const { values } = parseCliArgs({
      args: argv,
      options: {
        model: { type: 'string' }, dir: { type: 'string' }, mirror: { type: 'string' }, endpoint: { type: 'string' },
        weights: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean' },
      },
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (values.model !== undefined) model = values.model;
    if (values.dir !== undefined) dir = path.resolve(values.dir);
    const mirror = values.mirror ?? values.endpoint; // --endpoint: the earlier name of --mirror
    if (mirror !== undefined) endpoint = mirror;
    if (!/^https?:\/\/[^/]/.test(endpoint)) throw new UsageError(`镜像地址 ${endpoint} 无效：应为 http:// 或 https:// 开头的网址`);
    const weights = values.weights ?? 'q8';
    if (weights !== 'q8' && weights !== 'fp32' && weights !== 'all') throw new UsageError('--weights 只能是 q8、fp32 或 all');
    const res = await fetchModel({ model, dir, endpoint, weights, force: values.force === true });
    process.stderr.write(`完成：${res.root} 中有 ${res.files.length} 个文件（本次下载 ${formatBytes(res.bytes)}）\n`);
    return 0;
  } catch (err) {
    const root = path.resolve(dir, model);
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof NetworkError) {
      process.stderr.write(`\n无法从 ${endpoint} 下载模型：${err.message}\n${manualInstructions(root, endpoint, model)}\n`);
      return 3;
    }
    process.stderr.write(`\n下载失败：${err instanceof Error ? err.message : String(err)}\n${manualInstructions(root, endpoint, model)}\n`);
    return 1;
  }
}

if (isMainModule(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
