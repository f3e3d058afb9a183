import { mulberry32 } from '../server/cli/prng.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { createApp } from '../server/app.js';
import { fixedClock } from '../server/kb/clock.js';
import { servicesFor } from './helpers/services.js';
import { ON_POSTGRES, sqliteOf } from './helpers/database.js';
import { seedFile } from './helpers/paths.js';
import { buildDocx, buildPdf } from './helpers/fixtures.js';

/*
 * Issue 6, fuzzing: ≥ 10,000 malformed requests against every route of the real app listening on 127.0.0.1 — random
 * JSON, wrong types, huge and deeply nested bodies, invalid UTF-8, control characters, path-traversal and
 * SQL-looking ids, missing, forged and real tokens of every role, wrong content types, huge query strings — then
 * some malformed HTTP on raw sockets. No response may be a 5xx (or leak a stack trace or SQLite error), and the
 * server must still answer correctly afterwards. FUZZ_SEED reproduces a run; FUZZ_REQUESTS changes its size.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20260701);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = 16;
const KNOWN_QUESTION = '营业执照遗失了怎么补办？';


interface Route {
  method: string;
  path: string;
}

/**
 * Every route of the app, read from express's router stack (so routes added later are fuzzed too): method and
 * full path with its :params; plus the paths where path-less middleware (static files) is mounted.
 */
function routesOf(app: express.Express): { routes: Route[]; mounts: string[] } {
  interface Layer {
    route?: { path: unknown; methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
    rawPath?: unknown;
  }
  const routes: Route[] = [];
  const mounts: string[] = [];
  const join = (a: string, b: string) => (a + (b === '/' ? '' : b)).replace(/\/+/g, '/') || '/';
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      const raw = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
      if (layer.route) {
        const paths = ([] as unknown[]).concat(layer.route.path).filter((p): p is string => typeof p === 'string');
        for (const p of paths) {
          for (const m of Object.keys(layer.route.methods)) routes.push({ method: m === '_all' ? 'POST' : m.toUpperCase(), path: join(prefix, p) });
        }
      } else if (Array.isArray(layer.handle?.stack)) {
        walk(layer.handle.stack, join(prefix, raw));
      } else if (raw !== '/') {
        mounts.push(join(prefix, raw));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  const unique = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
  return { routes: [...unique.values()], mounts: [...new Set(mounts)] };
}

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Over Node's header size limit: the server may answer 431 and close, or reset the socket first. */
  mayReset?: boolean;
}

interface Reply {
  status: number;
  body: string;
}

/**
 * The malformed-input generators, all driven by one seeded PRNG. tokens: admin, editor, reviewer, agent, revoked;
 * uploads: well-formed files with odd contents.
 */
function fuzzer(rand: () => number, ids: string[], tokens: string[], uploads: Buffer[]) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const int = (n: number) => Math.floor(rand() * n);
  const chance = (p: number) => rand() < p;

  const NASTY_STRINGS = [
    '', ' ', '\u0000', 'a\u0000b', '\u0007\u001b[31m', '\r\n\r\nX-Injected: 1', '\t\v\f', '\ud800', '\udfff\ud800', '\uffff', '\ufeff',
    '😀😀😀', '\u202e\u202d', '%00', '%', '%%', '%E0%A4%A', '..', '../../etc/passwd', '..\\..\\windows\\win.ini', '/etc/passwd',
    "' OR '1'='1", '1 OR 1=1', "'; DROP TABLE entries;--", '" OR ""="', '1; SELECT * FROM api_tokens', 'UNION SELECT token_hash FROM api_tokens',
    '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', 'javascript:alert(1)', '{{7*7}}', '${7*7}', '__proto__', 'constructor',
    'NaN', 'Infinity', '-0', '1e309', '0x10', '９９', 'null', 'undefined', 'true', '[]', '{}', '"', '\\', '*', 'NEAR(a b)', 'a AND b OR NOT c',
    '营业执照遗失了怎么补办？', '帮办', '一网通办', '我的身份证号是310101199001011234，手机13812345678', '？？？', '。。。',
  ];
  const KEYS = [
    'question', 'channel', 'sessionId', 'audience', 'region', 'category', 'level', 'askId', 'resolved', 'reason', 'answer',
    'similarQuestions', 'keywords', 'serviceItem', 'department', 'documentId', 'sourceSection', 'effectiveFrom', 'expiresAt', 'origin',
    'status', 'groups', 'words', 'entry', 'entryId', 'publish', 'action', 'note', 'changes', 'name', 'role', 'id', 'q', 'limit', 'offset',
    '__proto__', 'constructor', 'prototype', '', ' ', '\u0000', 'a'.repeat(300),
  ];

  const randomString = (): string => {
    switch (int(6)) {
      case 0:
        return pick(NASTY_STRINGS);
      case 1:
        return pick(NASTY_STRINGS) + pick(NASTY_STRINGS);
      case 2:
        return String.fromCharCode(...Array.from({ length: int(40) }, () => int(0x10000)));
      case 3:
        return 'x'.repeat(pick([100, 501, 1000, 5000, 30_000]));
      case 4:
        return Array.from({ length: int(20) }, () => String.fromCharCode(int(32))).join('');
      default:
        return pick(['营业执照', '社保', '居住证', '公积金']) + pick(['怎么办', '在哪里办', '要多久', '']) + pick(NASTY_STRINGS);
    }
  };

  const randomValue = (depth: number): unknown => {
    switch (int(depth > 3 ? 5 : 8)) {
      case 0:
        return randomString();
      case 1:
        return pick([0, -1, 1, 1.5, -0, 2 ** 53, 2 ** 63, 1e308, -1e308, Number.MIN_VALUE, 999999999999999999999]);
      case 2:
        return pick([true, false]);
      case 3:
        return null;
      case 4:
        return randomString();
      case 5:
        return Array.from({ length: int(5) }, () => randomValue(depth + 1));
      case 6:
        return Array.from({ length: pick([0, 1, 3, 1000, 6000]) }, () => randomString().slice(0, 8));
      default:
        return Object.fromEntries(Array.from({ length: int(6) }, () => [pick(KEYS), randomValue(depth + 1)]));
    }
  };

  const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  /** A body as raw bytes: mostly JSON objects with our field names and wrong values, and outright garbage. */
  const randomBody = (): Buffer => {
    switch (int(16)) {
      case 0:
        return Buffer.from(deepArray(pick([100, 1000, 10_000, 30_000])));
      case 1:
        return Buffer.from(`{"question":${deepArray(pick([1000, 10_000]))}}`);
      case 2:
        return Buffer.from(deepObject(pick([1000, 5000, 10_000])));
      case 3:
        return Buffer.from(JSON.stringify({ question: 'x'.repeat(pick([60_000, 70_000, 200_000])) })); // around the 64 KB limit
      case 4: {
        // Invalid UTF-8 inside a JSON string: lone continuation bytes, overlong forms, truncated sequences, surrogates.
        const bad = pick([[0xff], [0xfe, 0xff], [0xc3, 0x28], [0xc0, 0xaf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80]]);
        return Buffer.concat([Buffer.from('{"question":"营业执照'), Buffer.from(bad), Buffer.from('怎么办","channel":"pc"}')]);
      }
      case 5:
        return Buffer.from(`{"question":"a${String.fromCharCode(int(32))}b"}`); // raw control character: invalid JSON
      case 6:
        return Buffer.from(pick(['', ' ', 'null', 'true', '0', '"str"', '[]', '{}', '{', '{"a":', '{"question":"x"', '{"a":1,}', "{'a':1}", 'NaN', '\ufeff{}', '{"a":1}{"b":2}']));
      case 7:
        return Buffer.from(Array.from({ length: pick([1, 16, 1000, 70_000]) }, () => int(256)));
      case 8:
        return Buffer.from(JSON.stringify(randomValue(0)));
      case 9:
        return Buffer.from(JSON.stringify({ question: randomString(), channel: chance(0.5) ? pick(['pc', 'app', 'api']) : randomValue(3), [pick(KEYS)]: randomValue(2) }));
      case 10:
        return Buffer.from(JSON.stringify({ askId: pick([...ids, randomString()]), resolved: randomValue(3), reason: randomValue(3) }));
      case 11:
        return Buffer.from(
          JSON.stringify({
            category: pick(['faq', 'guide', 'x', '']), question: randomString(), answer: randomValue(2), similarQuestions: randomValue(2),
            keywords: randomValue(2), documentId: pick([1, 0, -1, 1.5, '1', null, 2 ** 53]), effectiveFrom: pick(['2026-13-45', '2026-01-01', '', 'yesterday']),
            expiresAt: pick(['2020-01-01', '9999-12-31', 5]), level: randomValue(3), region: randomValue(3), audience: randomValue(3),
          }),
        );
      case 12:
        return Buffer.from(JSON.stringify({ groups: randomValue(1), words: randomValue(1) }));
      case 13:
        return Buffer.from(JSON.stringify({ action: pick(['confirm', 'update', 'archive', 'x']), note: randomValue(3), changes: randomValue(1), entry: randomValue(1), entryId: randomValue(3), publish: randomValue(3) }));
      case 14:
        return Buffer.from('{"__proto__":{"role":"admin","isAdmin":true},"constructor":{"prototype":{"polluted":1}},"question":"营业执照怎么办"}');
      default:
        return Buffer.from(JSON.stringify(Object.fromEntries(Array.from({ length: int(8) }, () => [pick(KEYS), randomValue(1)]))));
    }
  };

  const UPLOAD_NAMES = ['a.pdf', 'a.docx', 'a.xlsx', 'a.csv', 'a.txt', 'a.md', 'a.html', 'A.PDF', '营业执照.docx', 'a.exe', 'a', '.docx', '..', 'a%2F..%2Fb.txt', '%00.txt', 'kb.db', 'x'.repeat(250) + '.txt'];
  /** The bytes of an uploaded file: garbage behind the right magic numbers, broken text formats, odd valid files. */
  const uploadBody = (): Buffer => {
    const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
    switch (int(9)) {
      case 0:
        return junk(pick([1, 100, 5000]));
      case 1:
        return Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), junk(pick([10, 2000]))]);
      case 2:
        return Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n'), junk(pick([10, 2000]))]);
      case 3:
        return Buffer.from(['问题,答案,分类', '"unbalanced,x', `${randomString()},${randomString()},faq`, 'a,b,c,d,e,f,g,h,i,j,k,l,m,n', '\u0000,\u0001,\u0002', ',,'].join(pick(['\n', '\r\n', '\r'])));
      case 4:
        return Buffer.from(`<html><body>${'<div>'.repeat(pick([100, 5000]))}${randomString()}<script>alert(1)</script></body></html>`);
      case 5:
        return Buffer.concat([Buffer.from('上海市人民政府办公厅关于\n第一条 '), junk(300), Buffer.from(randomString())]);
      case 6:
        return Buffer.from('\ufeff' + '\u0000'.repeat(100) + '第一章'.repeat(pick([1, 3000])));
      default:
        return pick(uploads);
    }
  };

  const ID_SHAPES = [
    ...ids, '0', '-1', '00001', '1.5', '1e3', '99999999999999999999', '9007199254740993', 'NaN', 'null', 'undefined', '%20', '%00', '%', '%zz', '%E0%A4%A',
    '..', '..%2F..%2Fetc%2Fpasswd', '..%252F..%252F', '%2e%2e', '1%20OR%201%3D1', "'%3B%20DROP%20TABLE%20entries%3B--", '1;DROP', "1'--", '%27', '%22',
    'a'.repeat(3000), '\u00ff\u00fe', '\u00c3\u0028', '%FF%FE', '%C0%AF', '%ED%A0%80', encodeURIComponent('营业执照'), encodeURIComponent('\u0000\u001f'),
  ];
  /** A route's path with its parameters filled with odd ids; sometimes extra segments, dots or encodings. */
  const path = (template: string): string => {
    let p = template
      .replace(/\{([^}]*)\}/g, (_, inner) => (chance(0.5) ? inner : ''))
      .replace(/:(\w+)/g, () => pick(ID_SHAPES))
      .replace(/\*(\w+)/g, () => pick(['x', '../../../etc/passwd', '%2e%2e/%2e%2e/package.json', '..%5c..%5ckb.db']));
    switch (int(10)) {
      case 0:
        p += pick(['/', '//', '/.', '/..', '/../../../../etc/passwd', '/%2e%2e/%2e%2e/kb.db', '/x', '.json', ';jsessionid=1', '%00', '/\u00ff']);
        break;
      case 1:
        p = p.replace(/\//g, pick(['//', '/./', '/%2f']));
        break;
      case 2:
        p = p.toUpperCase();
        break;
      default:
    }
    return p;
  };

  /** A query string: odd values for the usual keys, repeated keys, and sometimes a huge one. */
  const query = (): { qs: string; huge: boolean } => {
    if (chance(0.45)) return { qs: '', huge: false };
    if (chance(0.04)) {
      const size = pick([4000, 12_000, 20_000, 70_000]);
      return { qs: `?q=${'%E5%8A%9E'.repeat(Math.ceil(size / 9))}`, huge: size > 12_000 };
    }
    const keys = ['q', 'limit', 'offset', 'status', 'category', 'department', 'reviewDue', 'state', 'due', 'halfYear', 'entryId', 'job', 'format', 'name', 'publish', 'audience', 'region', 'level', 'x', '__proto__', 'constructor'];
    const values = ['', '1', '-1', '0', '1.5', '1e9', '99999999999999999999', 'true', 'yes', 'csv', 'xlsx', 'pdf', 'open', 'soon', 'overdue', '2026H1', '2026H3',
      'published', '%00', '%', '%zz', '%FF', '..%2F..%2Fetc%2Fpasswd', "1'%20OR%20'1'%3D'1", 'x.docx', 'x.pdf', 'x.xlsx', 'a.txt', '%E8%90%A5%E4%B8%9A'];
    // Percent-encoded UTF-8 bytes of a nasty string (encodeURIComponent throws on lone surrogates).
    const pct = (v: string) => [...Buffer.from(v, 'utf8')].map((b) => (/[\w.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
    const value = () => (chance(0.3) ? pct(randomString().slice(0, 150)) : pick(values));
    const parts = Array.from({ length: 1 + int(5) }, () => `${pick(keys)}${chance(0.1) ? '[]' : chance(0.05) ? '[a][b]' : ''}=${value()}`);
    return { qs: `?${parts.join('&')}`, huge: false };
  };

  const CONTENT_TYPES = [
    'application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/json; charset=utf-16',
    'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream',
    'application/vnd.api+json', 'application/json; boundary=;;;', '*/*', 'json', '',
  ];
  /** Authorization headers: none, real tokens of every role, forged and malformed ones. */
  const auth = (): string | null => {
    switch (int(10)) {
      case 0:
      case 1:
      case 2:
        return null;
      case 3:
      case 4:
      case 5:
        return `Bearer ${pick(tokens)}`;
      case 6:
        return `Bearer bbk_${Array.from({ length: 43 }, () => pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split(''))).join('')}`;
      case 7:
        return pick(['Bearer', 'Bearer ', 'bearer  x', 'Basic YWRtaW46YWRtaW4=', 'Token abc', 'Bearer a b', `Bearer ${'x'.repeat(600)}`, `Bearer ${pick(tokens)} ${pick(tokens)}`]);
      case 8:
        return `Bearer ${pick(tokens).slice(0, -1)}${pick(['A', '\u00ff', '%'])}`;
      default:
        return `Bearer ${pick(["' OR 1=1--", '../../etc/passwd', '\u00e9\u00ff\u00c3', '%00', 'null', '1'])}`;
    }
  };

  const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

  return {
    request(route: Route | null, mounts: string[]): FuzzRequest {
      // Uploads get through to the file readers: the route as it is, a writer's token, a file name.
      const upload = route !== null && /\/documents\/(preview|import)$/.test(route.path) && chance(0.8);
      const method = route && (upload || chance(0.85)) ? route.method : pick(METHODS);
      const base = !route
        ? `${pick(mounts.length ? mounts : ['/'])}/${pick(['../../../etc/passwd', '..%2f..%2fpackage.json', '%2e%2e/%2e%2e/kb-data/kb.db', '.env', 'x', '\u00ff', '%00'])}`
        : upload
          ? route.path
          : path(route.path);
      const { qs, huge } = upload ? { qs: `?name=${encodeURIComponent(pick(UPLOAD_NAMES))}${chance(0.3) ? '&publish=true' : ''}`, huge: false } : query();
      const headers: Record<string, string> = {};
      const a = upload && chance(0.8) ? `Bearer ${pick(tokens.slice(0, 2))}` : auth();
      if (a !== null) headers.authorization = a;
      let body: Buffer | undefined;
      if (method !== 'GET' && method !== 'HEAD' ? chance(0.95) : chance(0.1)) {
        body = upload ? uploadBody() : randomBody();
        const ct = upload ? pick(['application/octet-stream', 'application/octet-stream', 'application/pdf', 'text/plain', '']) : chance(0.75) ? 'application/json' : pick(CONTENT_TYPES);
        if (ct) headers['content-type'] = ct;
        if (chance(0.03)) headers['content-encoding'] = pick(['gzip', 'deflate', 'br', 'compress', 'identity, gzip']);
      }
      if (chance(0.05)) headers.origin = pick(['https://evil.example', 'null', 'https://zwdt.sh.gov.cn']);
      if (chance(0.03)) headers['x-file-name'] = pick(['a.pdf', '%E4%B8%AD.docx', '%zz.txt', '..%2F..%2Fx.csv', 'x'.repeat(300) + '.txt', 'kb.db']);
      if (chance(0.02)) headers['x-forwarded-for'] = pick(['1.2.3.4', 'garbage', '::1, 10.0.0.1']);
      return { method, path: base + qs, headers, body, mayReset: huge };
    },
  };
}

function send(port: number, agent: http.Agent, r: FuzzRequest): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...r.headers };
    if (r.body) headers['content-length'] = r.body.length;
    let req: http.ClientRequest;
    try {
      req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
    } catch (err) {
      // The client refuses to send it (e.g. a character no HTTP path may hold): nothing reached the server.
      resolve({ status: -1, body: (err as Error).message });
      return;
    }
    req.on('timeout', () => req.destroy(new Error('timeout: no response in 30 s')));
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Raw bytes on a fresh socket: the status of the first response line, or 0 when the server just closed. */
function sendRaw(port: number, bytes: Buffer): Promise<Reply> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const done = () => {
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      resolve({ status: m ? Number(m[1]) : 0, body: data });
    };
    socket.setTimeout(3000, () => socket.destroy());
    socket.on('data', (c) => {
      data += c.toString('latin1');
      if (/\r\n\r\n/.test(data)) socket.end();
    });
    socket.on('error', () => undefined);
    socket.on('close', done);
    socket.end(bytes);
  });
}

/** Malformed HTTP the client library would never send. */
function rawRequests(rand: () => number, token: string): Buffer[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const out: Buffer[] = [];
  const lines = [
    'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/v1/entries/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/v1/entries/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\xc3\x28\r\n\r\n',
    `POST /api/v1/answer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 500\r\n\r\n{"a":`,
    'POST /api/v1/answer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n0\r\n\r\n',
    'POST /api/v1/answer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\n{}}\r\n0\r\n\r\n',
    'POST /api/v1/answer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n',
    'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
    'FOO /api/v1/answer HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET\r\n\r\n',
    '\x00\x01\x02\x03\r\n\r\n',
    'GET /api/v1/suggest?q=%E5%8A HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/v1/suggest?q=\xe5\x8a HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/v1/entries/1 HTTP/1.1\r\nHost: x\r\nX-Bad\x01Header: 1\r\n\r\n',
    'GET /api/v1/entries/1 HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n',
    `POST /api/v1/admin/entries HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{"question":\xff}`,
    `PUT /api/v1/admin/synonyms HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 12\r\n\r\n{"groups":\xc0\xaf}`,
    `GET /api/v1/admin/entries?q=\xff\xfe&limit=\x00 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`,
  ];
  for (let i = 0; i < 300; i++) {
    let s = pick(lines);
    if (rand() < 0.3) s = s.replace('HTTP/1.1', pick(['HTTP/1.0', 'HTTP/1.1 ', 'http/1.1', 'HTTP/1.1\r\nHost: y']));
    out.push(Buffer.from(s, 'latin1'));
  }
  return out;
}

const LEAK = /SqliteError|SQLITE_[A-Z]|\bat [\w.<>]+ \(?\S+:\d+:\d+\)?|node_modules/;

describe(`fuzzing: ${REQUESTS} malformed requests across every route`, () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let server: http.Server;
  let port: number;
  let app: express.Express;
  let knownId: number;
  let adminToken: string;
  const ids: string[] = [];
  const tokens: string[] = [];
  const uploads: Buffer[] = [];

  beforeAll(async () => {
    // A published seed document (documents, entries with a source) plus hand-made entries, asks and a revoked token.
    s = await servicesFor([seedFile('001')], { clock: fixedClock('2026-07-01T02:00:00Z') });
    const known = s.kb.entries.create(
      { category: 'guide', question: KNOWN_QUESTION, similarQuestions: ['执照丢了怎么补'], answer: '登录“一网通办”，搜索“营业执照补领”，在线提交申请。', keywords: ['营业执照', '补领'] },
      'test',
    );
    knownId = s.kb.entries.publish(known.id, 'test').id;
    const draft = s.kb.entries.create({ category: 'faq', question: '草稿条目是什么？', answer: '还没有发布的条目。' }, 'test');
    await s.engine.sync();
    for (const role of ['admin', 'editor', 'reviewer', 'agent'] as const) tokens.push(s.tokens.create(`fuzz-${role}`, role, 'test').token);
    adminToken = tokens[0];
    const revoked = s.tokens.create('revoked', 'editor', 'test');
    s.tokens.revoke(revoked.record.id);
    tokens.push(revoked.token);
    const asked = await s.answers.answer({ question: '营业执照怎么补办' });
    const unanswered = await s.answers.answer({ question: '上海迪士尼门票多少钱一张' });
    // Real ids reach deeper code; the known entry stays out of reach so the check afterwards means something.
    const other = s.kb.entries.list({ limit: 3 }).items.map((e) => e.id).filter((id) => id !== knownId);
    ids.push(String(draft.id), ...other.map(String), asked.askId, unanswered.askId, '1', '2');

    const odd = ['第一条 \u0000\u001b 控制字符', '\ud800 孤立代理', '<script>alert(1)</script>', "'; DROP TABLE entries;--", '一、'.repeat(2000)];
    uploads.push(
      await buildDocx(['关于测试的通知', ...odd, [['问题', '答案'], ['营业执照怎么办？', '\u0000']]]),
      await buildDocx([]),
      buildPdf([odd.map((l) => l.slice(0, 80))]),
      buildPdf([[]]),
    );

    // one client here: the limiters (requests, failed tokens) would stop the fuzz at the door
    app = createApp(s, { rateLimit: { limit: 1_000_000_000, windowMs: 60_000 }, tokenFailures: { limit: 1_000_000_000, windowMs: 60_000 } });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    s.cleanup();
  });

  it('no request gets a 5xx or a leaked internal error, and the server answers correctly afterwards', async () => {
    const { routes, mounts } = routesOf(app);
    // The routes of every module must be found (a mistake here would silently fuzz less).
    for (const expected of ['POST /api/v1/answer', 'POST /api/v1/admin/entries', 'PATCH /api/v1/admin/entries/:id', 'GET /api/v1/admin/gaps/:id', 'POST /api/v1/agent/answers', 'POST /api/v1/admin/reviews/:entryId', 'POST /api/v1/admin/documents/import', 'GET /widget.js']) {
      expect(routes.map((r) => `${r.method} ${r.path}`)).toContain(expected);
    }

    const rand = mulberry32(SEED);
    const gen = fuzzer(rand, ids, tokens, uploads);
    const requests: FuzzRequest[] = Array.from({ length: REQUESTS }, (_, i) => gen.request(i % 20 === 19 ? null : routes[Math.floor(rand() * routes.length)], mounts));
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    let resets = 0;
    const describeRequest = (i: number, r: FuzzRequest) =>
      `#${i} ${r.method} ${r.path.slice(0, 200)} ${JSON.stringify(r.headers).slice(0, 200)} body=${r.body ? JSON.stringify(r.body.toString('latin1').slice(0, 200)) : '-'}`;
    const worker = async () => {
      while (next < requests.length) {
        const i = next++;
        const r = requests[i];
        let reply: Reply;
        try {
          reply = await send(port, agent, r);
        } catch (err) {
          if (r.mayReset) {
            resets++;
            continue;
          }
          failures.push(`${describeRequest(i, r)} → ${(err as Error).message}`);
          continue;
        }
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        if (reply.status >= 500 || LEAK.test(reply.body)) failures.push(`${describeRequest(i, r)} → ${reply.status} ${reply.body.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();

    const raw = rawRequests(rand, adminToken);
    for (const [i, bytes] of raw.entries()) {
      const reply = await sendRaw(port, bytes);
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      if (reply.status >= 500 || LEAK.test(reply.body)) failures.push(`raw #${i} ${JSON.stringify(bytes.toString('latin1').slice(0, 200))} → ${reply.body.slice(0, 300)}`);
    }

    const summary = [...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}:${v}`).join(' ');
    console.log(`fuzz (FUZZ_SEED=${SEED}): ${requests.length} requests over ${routes.length} routes + ${raw.length} raw; statuses ${summary}; resets on oversized headers ${resets}`);
    expect(failures.slice(0, 10), `${failures.length} failures (FUZZ_SEED=${SEED})`).toEqual([]);
    // Most of the traffic must reach the application, not bounce off the HTTP layer (-1: the client refused to send it).
    expect((statuses.get(-1) ?? 0) + (statuses.get(431) ?? 0)).toBeLessThan(REQUESTS * 0.05);

    // Still serving, and serving right.
    const health = await send(port, new http.Agent(), { method: 'GET', path: '/healthz', headers: {} });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', database: { ok: true } });
    const answer = await send(port, new http.Agent(), {
      method: 'POST',
      path: '/api/v1/answer',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ question: KNOWN_QUESTION, channel: 'pc' })),
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ outcome: 'answered', answer: { entryId: knownId } });
    if (!ON_POSTGRES) {
      expect(sqliteOf(s.kb.db).pragma('integrity_check', { simple: true })).toBe('ok');
      expect(sqliteOf(s.kb.db).pragma('foreign_key_check')).toEqual([]);
    }
  }, 180_000);
});
