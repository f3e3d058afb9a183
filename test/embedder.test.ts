import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { BuiltinEmbedder, loadEmbedder, type Embedder } from '../server/search/embedder.js';
import { findModel } from '../server/search/transformers-embedder.js';
import { fetchModel, HttpError, NetworkError } from '../scripts/fetch-model.js';
import { REPO_ROOT, tempDir } from './helpers/paths.js';
import { TINY_QUERY_PROMPT, writeTinyBertModel } from './helpers/tiny-model.js';

const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);
const norm = (a: Float32Array) => Math.sqrt(cos(a, a));
const q = (e: Embedder, t: string) => e.embedQuery(t);

describe('builtin embedder', () => {
  const jieba = Jieba.withDict(dict);
  const jiebaTok = (t: string) => jieba.cut(t, true);

  for (const [label, e] of [
    ['default tokenizer', new BuiltinEmbedder()],
    ['jieba', new BuiltinEmbedder({ tokenize: jiebaTok, tokenizerId: 'jieba' })],
  ] as const) {
    it(`${label}: unit vectors of the configured size, deterministic`, async () => {
      const v = await q(e, '营业执照丢了怎么补');
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(384);
      expect(norm(v)).toBeCloseTo(1, 5);
      expect(Array.from(await q(e, '营业执照丢了怎么补'))).toEqual(Array.from(v));
      const [p] = await e.embedPassages(['营业执照丢了怎么补']);
      expect(Array.from(p)).toEqual(Array.from(v)); // symmetric: no instruction on either side
    });

    it(`${label}: paraphrase scores clearly above an unrelated question`, async () => {
      const a = await q(e, '营业执照丢了怎么补');
      const para = cos(a, await q(e, '营业执照遗失补办'));
      const unrelated = cos(a, await q(e, '迪士尼门票多少钱'));
      expect(para).toBeGreaterThan(unrelated + 0.2);
      expect(cos(await q(e, '居住证怎么办理'), await q(e, '如何办理上海居住证'))).toBeGreaterThan(
        cos(await q(e, '居住证怎么办理'), await q(e, '公积金提取流程')),
      );
    });
  }

  it('ids carry the dimensions and the tokenizer', () => {
    expect(new BuiltinEmbedder().id).toBe('builtin-hash-v1/384');
    expect(new BuiltinEmbedder({ dimensions: 256, tokenizerId: 'jieba' }).id).toBe('builtin-hash-v1+jieba/256');
    expect(new BuiltinEmbedder({ dimensions: 256 }).dimensions).toBe(256);
  });

  it('empty, whitespace and emoji-only text give a zero vector, never NaN', async () => {
    const e = new BuiltinEmbedder();
    for (const t of ['', '   ', '😀🎉', '？！。']) {
      const v = await q(e, t);
      expect(v.length).toBe(384);
      expect(v.every((x) => x === 0)).toBe(true);
    }
    const mixed = await q(e, '😀 办理 ABC 123');
    expect(mixed.every((x) => Number.isFinite(x))).toBe(true);
    expect(norm(mixed)).toBeCloseTo(1, 5);
  });

  it('full-width and case variants map to the same vector', async () => {
    const e = new BuiltinEmbedder();
    expect(Array.from(await q(e, 'ＡＢＣ１２３办理'))).toEqual(Array.from(await q(e, 'abc123办理')));
  });

  it('is fast (timing printed, not asserted)', async () => {
    const e = new BuiltinEmbedder({ tokenize: jiebaTok, tokenizerId: 'jieba' });
    const plain = new BuiltinEmbedder();
    const texts = ['营业执照丢了怎么补', '上海居住证积分怎么查询', '退休后医保怎么报销', '护照签注需要什么材料', '公积金提取'];
    for (const [label, emb] of [['jieba', e], ['default', plain]] as const) {
      for (let i = 0; i < 200; i++) emb.embed(texts[i % texts.length]); // warm-up
      const n = 5000;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) emb.embed(texts[i % texts.length]);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6 / n;
      console.log(`builtin embedder (${label} tokenizer): ${(ms * 1000).toFixed(1)} µs per short query`);
    }
  });
});

describe('loadEmbedder without a model', () => {
  const dir = tempDir('bangban-emb-none-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('auto falls back to builtin and says how to fetch the model', async () => {
    const { embedder, note } = await loadEmbedder({ mode: 'auto', modelDir: dir });
    expect(embedder.kind).toBe('builtin');
    expect(embedder.id).toBe('builtin-hash-v1/384');
    expect(note).toContain('npm run fetch-model');
    // the start-up log's one short line, Chinese only, no paths of the machine (it is also in /healthz)
    expect(note).not.toContain(dir);
    expect(note.replace(/builtin-hash-v1\/384|npm run fetch-model/g, '')).not.toMatch(/[A-Za-z]{3,}/);
    expect([...note].length).toBeLessThan(60);
  });

  it('builtin mode is builtin, with the injected tokenizer', async () => {
    const { embedder, note } = await loadEmbedder({ mode: 'builtin', modelDir: dir, tokenize: (t) => [t], tokenizerId: 'whole' });
    expect(embedder.kind).toBe('builtin');
    expect(embedder.id).toBe('builtin-hash-v1+whole/384');
    expect(note).toMatch(/builtin/);
  });

  it('transformers mode throws a clear error', async () => {
    await expect(loadEmbedder({ mode: 'transformers', modelDir: dir })).rejects.toThrow(/没有找到语义模型.*npm run fetch-model/s);
  });

  it('a folder missing the weights does not count as a model', async () => {
    const root = path.join(dir, 'Xenova/bge-small-zh-v1.5');
    fs.mkdirSync(root, { recursive: true });
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) fs.writeFileSync(path.join(root, f), '{}');
    expect(findModel(dir, 'Xenova/bge-small-zh-v1.5')).toBeUndefined();
  });
});

describe('transformers embedder on a generated tiny BERT', () => {
  const dir = tempDir('bangban-emb-tiny-');
  const name = 'test/tiny-bert';
  beforeAll(async () => {
    await writeTinyBertModel(dir, name);
    await writeTinyBertModel(dir, 'test/tiny-plain', { bgeStyle: false, hidden: 24 });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the hand-written ONNX file runs in onnxruntime-node directly', async () => {
    const session = await ort.InferenceSession.create(path.join(dir, name, 'onnx/model.onnx'));
    expect(session.inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    const ids = (a: number[]) => new ort.Tensor('int64', BigInt64Array.from(a.map(BigInt)), [1, a.length]);
    const out = await session.run({ input_ids: ids([2, 10, 11, 3]), attention_mask: ids([1, 1, 1, 1]), token_type_ids: ids([0, 0, 0, 0]) });
    expect(out.last_hidden_state.dims).toEqual([1, 4, 32]);
    await session.release();
  });

  it('auto mode picks the model up; vectors are unit length with the tiny hidden size', async () => {
    const { embedder, note } = await loadEmbedder({ mode: 'auto', modelDir: dir, modelName: name });
    expect(embedder.kind).toBe('transformers');
    expect(embedder.dimensions).toBe(32);
    expect(embedder.id).toBe('transformers/test/tiny-bert:fp32:cls');
    expect(note).toContain(name);

    const v = await embedder.embedQuery('营业执照丢了怎么补');
    expect(v.length).toBe(32);
    expect(norm(v)).toBeCloseTo(1, 5);
    expect(Array.from(await embedder.embedQuery('营业执照丢了怎么补'))).toEqual(Array.from(v));

    const [p1, p2, p3] = await embedder.embedPassages(['营业执照遗失补办', '迪士尼门票多少钱', '营业执照遗失补办']);
    for (const p of [p1, p2, p3]) expect(norm(p)).toBeCloseTo(1, 5);
    expect(Array.from(p3)).toEqual(Array.from(p1));
    const [a] = await embedder.embedPassages(['营业执照丢了怎么补']);
    expect(cos(a, p1)).toBeGreaterThan(cos(a, p2));
  });

  it('bge-style: the query differs from the passage exactly by the instruction prefix', async () => {
    const { embedder } = await loadEmbedder({ mode: 'transformers', modelDir: dir, modelName: name });
    const x = '居住证怎么办理';
    const query = await embedder.embedQuery(x);
    const [passage] = await embedder.embedPassages([x]);
    const [prefixed] = await embedder.embedPassages([TINY_QUERY_PROMPT + x]);
    expect(Array.from(query)).not.toEqual(Array.from(passage));
    // Batched vs single run may differ in the last float bits (padding), so compare closely, not bitwise.
    expect(cos(query, prefixed)).toBeGreaterThan(0.99999);
  });

  it('batches of more than 32 passages keep order and size', async () => {
    const { embedder } = await loadEmbedder({ mode: 'transformers', modelDir: dir, modelName: name });
    const texts = Array.from({ length: 70 }, (_, i) => `第${i}条 办理${'证件'.repeat(i % 5)}`);
    const out = await embedder.embedPassages(texts);
    expect(out).toHaveLength(70);
    const [again] = await embedder.embedPassages([texts[45]]);
    expect(cos(out[45], again)).toBeGreaterThan(0.99999);
    expect(await embedder.embedPassages([])).toEqual([]);
  });

  it('a model without sentence-transformers hints gets mean pooling and no query instruction', async () => {
    const info = findModel(dir, 'test/tiny-plain');
    expect(info).toMatchObject({ pooling: 'mean', queryPrompt: '', dtype: 'fp32', hiddenSize: 24 });
    const { embedder } = await loadEmbedder({ mode: 'auto', modelDir: dir, modelName: 'test/tiny-plain' });
    expect(embedder.dimensions).toBe(24);
    const [p] = await embedder.embedPassages(['护照签注']);
    expect(cos(await embedder.embedQuery('护照签注'), p)).toBeGreaterThan(0.99999);
  });

  it('bge names default to CLS pooling and the Chinese instruction; quantized weights are preferred', () => {
    const root = path.join(dir, 'Xenova/bge-small-zh-v1.5');
    fs.cpSync(path.join(dir, 'test/tiny-plain'), root, { recursive: true });
    fs.copyFileSync(path.join(root, 'onnx/model.onnx'), path.join(root, 'onnx/model_quantized.onnx'));
    expect(findModel(dir, 'Xenova/bge-small-zh-v1.5')).toMatchObject({
      pooling: 'cls',
      queryPrompt: '为这个句子生成表示以用于检索相关文章：',
      dtype: 'q8',
    });
  });

  it('auto mode falls back to builtin when the model folder is broken', async () => {
    const root = path.join(dir, 'test/broken');
    fs.cpSync(path.join(dir, name), root, { recursive: true });
    fs.writeFileSync(path.join(root, 'onnx/model.onnx'), 'not an onnx file');
    const { embedder, note } = await loadEmbedder({ mode: 'auto', modelDir: dir, modelName: 'test/broken' });
    expect(embedder.kind).toBe('builtin');
    expect(note).toContain("语义模型加载失败");
    await expect(loadEmbedder({ mode: 'transformers', modelDir: dir, modelName: 'test/broken' })).rejects.toThrow(/加载语义模型.*失败/);
  });
});

describe('fetch-model (local HTTP server standing in for the hub; no real network)', () => {
  const src = tempDir('bangban-hub-');
  const dest = tempDir('bangban-fetched-');
  let server: http.Server;
  let endpoint = '';
  const requested: string[] = [];
  beforeAll(async () => {
    await writeTinyBertModel(src, 'acme/tiny-bge-zh');
    // Serve `${endpoint}/${model}/resolve/main/${file}` from the generated folder; no quantized weights, so fp32 is the fallback.
    server = http.createServer((req, res) => {
      const m = /^\/(.+?\/.+?)\/resolve\/main\/(.+)$/.exec(decodeURIComponent(req.url ?? ''));
      const file = m && path.join(src, m[1], m[2]);
      requested.push(m?.[2] ?? String(req.url));
      if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) return void res.writeHead(404).end('not found');
      const body = fs.readFileSync(file);
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    for (const d of [src, dest]) fs.rmSync(d, { recursive: true, force: true });
  });

  /** The built CLI, run as a user would; asynchronous, so that this process's server can answer it. */
  function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/scripts/fetch-model.js'), ...args], { env: { ...process.env, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('downloads the files into ${dir}/${model}, falls back to model.onnx, and auto mode then uses it', async () => {
    const res = await fetchModel({ model: 'acme/tiny-bge-zh', dir: dest, endpoint });
    expect(res.root).toBe(path.join(dest, 'acme/tiny-bge-zh'));
    expect(res.files).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', '1_Pooling/config.json']));
    expect(res.bytes).toBeGreaterThan(100_000);
    expect(requested).toContain('onnx/model_quantized.onnx'); // tried first, 404
    expect(fs.readdirSync(path.join(res.root, 'onnx'))).toEqual(['model.onnx']); // no temporary file left behind
    const again = await fetchModel({ model: 'acme/tiny-bge-zh', dir: dest, endpoint });
    expect(again.bytes).toBe(0); // present files are skipped

    const { embedder } = await loadEmbedder({ mode: 'auto', modelDir: dest, modelName: 'acme/tiny-bge-zh' });
    expect(embedder.kind).toBe('transformers');
    expect(embedder.id).toBe('transformers/acme/tiny-bge-zh:fp32:cls'); // pooling from the fetched 1_Pooling/config.json
  });

  it('the CLI fetches from the mirror given by --mirror or HF_ENDPOINT, with progress, into a folder the service loads', async () => {
    for (const [args, env] of [[['--mirror', endpoint], {}], [[], { HF_ENDPOINT: endpoint }]] as const) {
      const where = tempDir('bangban-models-');
      const r = await cli(['--model', 'acme/tiny-bge-zh', '--dir', where, ...args], { ...env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`下载模型 acme/tiny-bge-zh（来源 ${endpoint}）`);
      expect(r.stderr).toMatch(/onnx\/model\.onnx: 109\.\d KB \/ 109\.\d KB \(100%\) ✓/); // byte progress per file
      expect(r.stderr).toMatch(/完成：.* 中有 6 个文件/);
      const { embedder, note } = await loadEmbedder({ mode: 'transformers', modelDir: where, modelName: 'acme/tiny-bge-zh' });
      expect(embedder.kind, note).toBe('transformers');
      expect((await embedder.embedQuery('社保卡')).length).toBe(embedder.dimensions);
      fs.rmSync(where, { recursive: true, force: true });
    }
  });

  it('a model the mirror does not have: HttpError in Chinese naming the file, nothing written', async () => {
    const where = tempDir('bangban-missing-');
    const err = await fetchModel({ model: 'acme/nope', dir: where, endpoint }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(404);
    expect((err as Error).message).toMatch(/找不到 acme\/nope 的 config\.json（HTTP 404）：请检查模型名/);
    expect(fs.readdirSync(where)).toEqual([]);
    fs.rmSync(where, { recursive: true, force: true });
  });

  it('a mirror answering with a server error: HttpError in Chinese with the status', async () => {
    const broken = http.createServer((_req, res) => void res.writeHead(502).end('bad gateway'));
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
    const where = tempDir('bangban-502-');
    const err = await fetchModel({ model: 'acme/x', dir: where, endpoint: `http://127.0.0.1:${(broken.address() as AddressInfo).port}` }).catch((e: unknown) => e);
    broken.close();
    expect(err).toBeInstanceOf(HttpError);
    expect((err as Error).message).toMatch(/下载 acme\/x 的 config\.json 失败：服务器回答 HTTP 502$/);
    expect(fs.readdirSync(where)).toEqual([]);
    fs.rmSync(where, { recursive: true, force: true });
  });

  it('an unreachable host fails cleanly with a NetworkError and writes nothing; so does a host that never answers', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const where = tempDir('bangban-offline-');
    const refused = await fetchModel({ model: 'acme/x', dir: where, endpoint: `http://127.0.0.1:${port}` }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NetworkError);
    expect((refused as Error).message).toBe(`连接 127.0.0.1:${port} 失败（连接被拒绝）`);
    expect(fs.readdirSync(where)).toEqual([]);

    const silent = http.createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const stalled = await fetchModel({ model: 'acme/x', dir: where, endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, idleTimeoutMs: 300 }).catch((e: unknown) => e);
    silent.closeAllConnections();
    silent.close();
    expect(stalled).toBeInstanceOf(NetworkError);
    expect((stalled as Error).message).toContain('300 ms 内没有响应');
    expect(fs.readdirSync(where)).toEqual([]);
    fs.rmSync(where, { recursive: true, force: true });
  });

  it('refuses a malformed command line with exit 2 and the Chinese usage', async () => {
    for (const [args, message] of [[['--mirror'], '--mirror 需要一个值'], [['--weights', 'fp16'], '--weights 只能是 q8、fp32 或 all'], [['--mirror', 'hf-mirror.com'], '镜像地址 hf-mirror.com 无效']] as const) {
      const r = await cli([...args, '--dir', dest]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('用法');
    }
  });
});
