/**
 * Downloads the sentence-embedding model used by the search service into
 * `${dir}/${model}` so the server can run it fully offline.
 *
 *   npm run fetch-model -- [--model Xenova/bge-small-zh-v1.5] [--dir kb-data/models] [--weights q8|fp32|all] [--force]
 *
 * Plain HTTPS GETs of `${endpoint}/${model}/resolve/main/${file}` (endpoint: --endpoint,
 * else HF_ENDPOINT, e.g. https://hf-mirror.com, else https://huggingface.co), written to
 * `*.part` and renamed when complete, so an interrupted run never leaves a file that
 * looks usable. Progress (bytes per file) goes to stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dataDir } from '../server/config.js';
import { parseCliArgs, UsageError, isMainModule } from '../server/cli/args.js';

export const DEFAULT_MODEL = 'Xenova/bge-small-zh-v1.5';
const DEFAULT_ENDPOINT = 'https://huggingface.co';

const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
/** Nice to have: vocab for other tools, sentence-transformers pooling/prompt hints read by the embedder. */
const OPTIONAL = ['special_tokens_map.json', 'vocab.txt', '1_Pooling/config.json', 'config_sentence_transformers.json'];
const QUANTIZED = 'onnx/model_quantized.onnx';
const FULL = 'onnx/model.onnx';

export type WeightChoice = 'q8' | 'fp32' | 'all';

export interface FetchModelOptions {
  model?: string;
  /** Models folder; the files land in `${dir}/${model}`. */
  dir: string;
  endpoint?: string;
  /** q8 (default): the int8 export the embedder prefers, falling back to fp32 when absent. */
  weights?: WeightChoice;
  /** Re-download files that already exist. */
  force?: boolean;
  /** Abort when no response / no data arrives for this long. Default 30 s. */
  idleTimeoutMs?: number;
}

/** The host could not be reached at all (DNS, refused, timeout): nothing was downloaded. */
export class NetworkError extends Error {}
/** The host answered, but not with the file (404, 401, 5xx…). */
export class HttpError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

export const fileUrl = (endpoint: string, model: string, file: string) => `${endpoint.replace(/\/+$/, '')}/${model}/resolve/main/${file}`;

/** Instructions for placing the files by hand, used when the download cannot happen. */
export function manualInstructions(root: string, endpoint: string, model: string): string {
  const entries: Array<[string, string]> = [
    ...REQUIRED.map((f): [string, string] => [f, '']),
    [QUANTIZED, `（或/or ${FULL}）`],
    ...OPTIONAL.map((f): [string, string] => [f, '（可选/optional）']),
  ];
  const lines = entries.map(([f, note]) => `  ${path.join(root, f)}${note}
      ← ${fileUrl(endpoint, model, f)}`);
  return (
    `请在能上网的机器下载以下文件，按相同相对路径放到 ${root}：\n` +
    `Download these files on a machine with internet access and place them under ${root}:\n` +
    `${lines.join('\n')}\n` +
    `也可设置 HF_ENDPOINT（如 https://hf-mirror.com）改用镜像后重试。 Or set HF_ENDPOINT to a mirror and retry.\n` +
    `放好后重启服务（embedder=auto 会自动使用该模型）。 Then restart the server; embedder mode auto picks the model up.`
  );
}

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
}

/** Byte progress for one file: a live line on a terminal, a line per ~10% otherwise. */
function progress(file: string, total: number | undefined) {
  const tty = Boolean(process.stderr.isTTY);
  let lastTick = 0;
  let lastStep = -1;
  const line = (done: number) => `  ${file}: ${formatBytes(done)}${total ? ` / ${formatBytes(total)} (${Math.floor((done / total) * 100)}%)` : ''}`;
  return {
    update(done: number) {
      if (tty) {
        const now = Date.now();
        if (now - lastTick < 100) return;
        lastTick = now;
        process.stderr.write(`\r\x1b[2K${line(done)}`);
        return;
      }
      const step = total ? Math.floor((done / total) * 10) : Math.floor(done / (8 << 20));
      // finish() prints the last line, so skip the 100% step here.
      if (step === lastStep || done === 0 || done === total) return;
      lastStep = step;
      process.stderr.write(`${line(done)}\n`);
    },
    finish(done: number) {
      process.stderr.write(tty ? `\r\x1b[2K${line(done)} ✓\n` : `${line(done)} ✓\n`);
    },
  };
}

/** Why fetch failed, from the undici error chain (e.g. "getaddrinfo ENOTFOUND huggingface.co"). */
function describeFetchError(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { message?: string; code?: string; cause?: unknown } | undefined; e && parts.length < 4; e = e.cause as typeof e) {
    parts.push(e.code && !String(e.message).includes(e.code) ? `${e.message} (${e.code})` : String(e.message));
  }
  return parts.join(': ');
}

/** GET one file into `dest`; resolves to its size. 404 → HttpError so optional files can be skipped. */
async function download(url: string, dest: string, label: string, idleTimeoutMs: number): Promise<number> {
  const ctrl = new AbortController();
  let timer = setTimeout(() => ctrl.abort(new Error(`no response within ${idleTimeoutMs} ms`)), idleTimeoutMs);
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => ctrl.abort(new Error(`stalled: no data for ${idleTimeoutMs} ms`)), idleTimeoutMs);
  };
  const headers: Record<string, string> = { 'user-agent': 'bangban-kb fetch-model' };
  // Only the hub itself gets the token, never a third-party mirror.
  if (process.env.HF_TOKEN && /(^|\.)huggingface\.co$/.test(new URL(url).hostname)) headers.authorization = `Bearer ${process.env.HF_TOKEN}`;
  const part = `${dest}.part`;
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal: ctrl.signal, headers, redirect: 'follow' });
    } catch (err) {
      throw new NetworkError(describeFetchError(ctrl.signal.aborted ? ctrl.signal.reason : err));
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel(); // release the connection
      // The hub answers 401 for repositories that do not exist as well as for private ones.
      const hint = res.status === 401 || res.status === 403 ? ' (model name wrong, or private: set HF_TOKEN)' : '';
      throw new HttpError(`HTTP ${res.status} ${res.statusText} for ${url}${hint}`, res.status);
    }
    // fetch decompresses gzip bodies, so content-length is only the file size for unencoded responses.
    const encoding = res.headers.get('content-encoding');
    const length = !encoding || encoding === 'identity' ? Number(res.headers.get('content-length')) || 0 : 0;
    const bar = progress(label, length || undefined);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const fh = await fs.promises.open(part, 'w');
    let done = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        touch();
        await fh.write(chunk);
        done += chunk.length;
        bar.update(done);
      }
    } catch (err) {
      throw new NetworkError(`download of ${label} interrupted: ${describeFetchError(ctrl.signal.aborted ? ctrl.signal.reason : err)}`);
    } finally {
      await fh.close();
    }
    if (length && done !== length) throw new NetworkError(`${label}: got ${done} of ${length} bytes`);
    fs.renameSync(part, dest);
    bar.finish(done);
    return done;
  } finally {
    clearTimeout(timer);
    fs.rmSync(part, { force: true });
  }
}

export interface FetchResult {
  root: string;
  /** Relative paths now present (downloaded or already there). */
  files: string[];
  bytes: number;
}

export async function fetchModel(opts: FetchModelOptions): Promise<FetchResult> {
  const model = opts.model ?? DEFAULT_MODEL;
  const endpoint = opts.endpoint ?? process.env.HF_ENDPOINT ?? DEFAULT_ENDPOINT;
  const root = path.resolve(opts.dir, model);
  const idle = opts.idleTimeoutMs ?? 30_000;
  const files: string[] = [];
  let bytes = 0;

  /** true when the file is present afterwards; false on 404 (caller decides whether that is fatal). */
  const get = async (file: string): Promise<boolean> => {
    const dest = path.join(root, file);
    if (!opts.force && fs.existsSync(dest)) {
      process.stderr.write(`  ${file}: 已存在，跳过 / already present, skipped\n`);
      files.push(file);
      return true;
    }
    try {
      bytes += await download(fileUrl(endpoint, model, file), dest, file, idle);
      files.push(file);
      return true;
    } catch (err) {
      if (err instanceof HttpError && err.status === 404) return false;
      throw err;
    }
  };

  process.stderr.write(`下载模型 / fetching ${model} from ${endpoint} → ${root}\n`);
  for (const f of REQUIRED) {
    if (!(await get(f))) throw new HttpError(`${model} has no ${f} at ${endpoint} — check the model name`, 404);
  }
  const weights = opts.weights ?? 'q8';
  const order = weights === 'fp32' ? [FULL, QUANTIZED] : [QUANTIZED, FULL];
  let gotWeights = 0;
  for (const f of order) {
    if (await get(f)) gotWeights++;
    if (gotWeights && weights !== 'all') break;
  }
  if (!gotWeights) throw new HttpError(`${model} has neither ${QUANTIZED} nor ${FULL} at ${endpoint}`, 404);
  for (const f of OPTIONAL) await get(f);
  return { root, files, bytes };
}

/** Models folder: --dir, else KB_MODEL_DIR, else `${KB_DATA_DIR:-kb-data}/models`. */
export function defaultModelDir(): string {
  return path.resolve(process.env.KB_MODEL_DIR ?? path.join(dataDir(), 'models'));
}

async function main(argv: string[]): Promise<number> {
  let model = DEFAULT_MODEL;
  let dir = defaultModelDir();
  let endpoint = process.env.HF_ENDPOINT ?? DEFAULT_ENDPOINT;
  try {
    const { values: flags } = parseCliArgs({
      args: argv,
      options: {
        model: { type: 'string' }, dir: { type: 'string' }, endpoint: { type: 'string' }, weights: { type: 'string' },
        force: { type: 'boolean' }, help: { type: 'boolean' },
      },
    });
    if (flags.help) {
      process.stdout.write('用法 / usage: npm run fetch-model -- [--model Xenova/bge-small-zh-v1.5] [--dir kb-data/models] [--weights q8|fp32|all] [--endpoint URL] [--force]\n');
      return 0;
    }
    if (flags.model !== undefined) model = flags.model;
    if (flags.dir !== undefined) dir = path.resolve(flags.dir);
    if (flags.endpoint !== undefined) endpoint = flags.endpoint;
    const weights = flags.weights ?? 'q8';
    if (weights !== 'q8' && weights !== 'fp32' && weights !== 'all') throw new UsageError(`--weights 只能是 q8、fp32 或 all / must be q8, fp32 or all`);
    const res = await fetchModel({ model, dir, endpoint, weights, force: flags.force === true });
    process.stderr.write(`完成 / done: ${res.files.length} files (${formatBytes(res.bytes)} downloaded) in ${res.root}\n`);
    return 0;
  } catch (err) {
    const root = path.resolve(dir, model);
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof NetworkError) {
      process.stderr.write(`\n无法从 ${endpoint} 下载模型 / cannot download from ${endpoint}: ${err.message}\n${manualInstructions(root, endpoint, model)}\n`);
      return 3;
    }
    process.stderr.write(`\n下载失败 / download failed: ${err instanceof Error ? err.message : String(err)}\n${manualInstructions(root, endpoint, model)}\n`);
    return 1;
  }
}

if (isMainModule(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
