import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import request from 'supertest';
import type express from 'express';
import { createApp } from '../server/app.js';
import { fixedClock } from '../server/kb/clock.js';
import { openApiPath } from '../server/openapi/document.js';
import { ROUTES } from '../server/openapi/registry.js';
import { servicesFor } from './helpers/services.js';
import { servedRoutes } from './helpers/served-routes.js';

/**
 * /api/v1/openapi.json is what a portal team integrating the widget API (or the 随申办 app, or 12345) codes against:
 * it must be a valid OpenAPI 3.1 document, describe exactly the routes the service serves, and say what the public
 * API really returns.
 */

type Json = Record<string, any>;

// ---- a small JSON Schema 2020-12 checker for what zod writes (no validator is installed; this is enough for our schemas)

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const KEYWORDS = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'items', 'prefixItems', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', 'not',
  'minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minItems', 'maxItems', 'uniqueItems', 'default', 'description', 'title', 'examples', '$ref', 'contentMediaType', 'id', 'readOnly', 'writeOnly',
  'deprecated', 'propertyNames', 'patternProperties', 'minProperties', 'maxProperties',
]);

/** Problems that make `schema` not a valid JSON Schema (the subset the document uses); empty when valid. */
function schemaProblems(schema: unknown, at: string): string[] {
  if (schema === true || schema === false) return [];
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return [`${at}: not a schema`];
  const s = schema as Json;
  const out: string[] = [];
  for (const k of Object.keys(s)) if (!KEYWORDS.has(k) && !k.startsWith('x-')) out.push(`${at}: unknown keyword ${k}`);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    for (const t of types) if (!TYPES.has(t)) out.push(`${at}: bad type ${t}`);
  }
  if (s.required !== undefined) {
    if (!Array.isArray(s.required) || s.required.some((r: unknown) => typeof r !== 'string')) out.push(`${at}: required must be strings`);
    else for (const r of s.required) if (!s.properties || !(r in s.properties)) out.push(`${at}: required ${r} is not a property`);
  }
  if (s.enum !== undefined && (!Array.isArray(s.enum) || s.enum.length === 0)) out.push(`${at}: enum must be a non-empty array`);
  for (const k of ['minLength', 'maxLength', 'minItems', 'maxItems', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
    if (s[k] !== undefined && typeof s[k] !== 'number') out.push(`${at}: ${k} must be a number`);
  }
  if (s.pattern !== undefined) {
    try {
      new RegExp(s.pattern, 'u');
    } catch {
      out.push(`${at}: pattern does not compile`);
    }
  }
  for (const [name, sub] of Object.entries((s.properties ?? {}) as Json)) out.push(...schemaProblems(sub, `${at}.properties.${name}`));
  if (s.items !== undefined) out.push(...schemaProblems(s.items, `${at}.items`));
  if (s.additionalProperties !== undefined) out.push(...schemaProblems(s.additionalProperties, `${at}.additionalProperties`));
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    if (s[k] === undefined) continue;
    if (!Array.isArray(s[k]) || !s[k].length) out.push(`${at}: ${k} must be a non-empty array`);
    else s[k].forEach((sub: unknown, i: number) => out.push(...schemaProblems(sub, `${at}.${k}[${i}]`)));
  }
  return out;
}

const resolve = (doc: Json, ref: string) => ref.slice(2).split('/').reduce<any>((node, key) => node?.[key], doc);

/** Where `value` breaks `schema` (type, required, no undocumented fields, enum, items, anyOf, $ref). */
function mismatches(doc: Json, schema: Json, value: unknown, at = '$'): string[] {
  if (schema.$ref) return mismatches(doc, resolve(doc, schema.$ref), value, at);
  if (schema.anyOf) {
    const each = schema.anyOf.map((s: Json) => mismatches(doc, s, value, at));
    return each.some((m: string[]) => m.length === 0) ? [] : each.flat();
  }
  const out: string[] = [];
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (schema.type) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => t === type || (t === 'integer' && Number.isInteger(value)))) return [`${at}: ${type}, documented ${types.join(' | ')}`];
  }
  if (schema.enum && !schema.enum.includes(value)) out.push(`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  if (schema.const !== undefined && schema.const !== value) out.push(`${at}: not ${schema.const}`);
  if (type === 'object' && schema.properties) {
    const v = value as Json;
    for (const r of schema.required ?? []) if (!(r in v)) out.push(`${at}.${r}: missing`);
    for (const [k, sub] of Object.entries(v)) {
      const prop = schema.properties?.[k];
      if (prop) out.push(...mismatches(doc, prop, sub, `${at}.${k}`));
      else if (schema.additionalProperties === false) out.push(`${at}.${k}: not documented`);
    }
  }
  if (type === 'array' && schema.items) (value as unknown[]).forEach((x, i) => out.push(...mismatches(doc, schema.items, x, `${at}[${i}]`)));
  return out;
}

describe('API document (OpenAPI 3.1)', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let app: express.Express;
  let doc: Json;

  beforeAll(async () => {
    s = await servicesFor([], { clock: fixedClock('2026-07-01T02:00:00Z') }); // a Wednesday, 10:00 in Shanghai
    const editor = s.tokens.create('编辑', 'editor', 'test').token;
    const reviewer = s.tokens.create('审核', 'reviewer', 'test').token;
    app = createApp(s);
    const created = await request(app).post('/api/v1/admin/entries').set('Authorization', `Bearer ${editor}`)
      .send({ category: 'guide', question: '营业执照遗失了怎么补办？', similarQuestions: ['执照丢了怎么补'], answer: '登录“一网通办”，搜索“营业执照补领”，在线提交申请。' })
      .expect(201);
    await request(app).post(`/api/v1/admin/entries/${created.body.id}/publish`).set('Authorization', `Bearer ${reviewer}`).send({ version: created.body.version }).expect(200);
    doc = (await request(app).get('/api/v1/openapi.json').expect(200)).body;
  });
  afterAll(() => s.cleanup());

  it('is served as cacheable JSON from /api/v1/openapi.json, within the public rate limit', async () => {
    const limitedApp = createApp(s, { rateLimit: { limit: 2, windowMs: 60_000 } });
    const res = await request(limitedApp).get('/api/v1/openapi.json').expect(200);
    expect(res.type).toBe('application/json');
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(res.headers.etag).toBeTruthy();
    await request(limitedApp).get('/api/v1/openapi.json').expect(200);
    await request(limitedApp).get('/api/v1/openapi.json').expect(429);
  });

  it('is structurally valid OpenAPI 3.1: info, paths, responses on every operation, resolvable $refs, valid schemas', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(40);
    const problems: string[] = [];
    const operationIds = new Set<string>();
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Json>)) {
      if (!p.startsWith('/')) problems.push(`${p}: must start with /`);
      if (p.includes(':')) problems.push(`${p}: express-style parameter`);
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${p}`;
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) problems.push(`${where}: bad method`);
        if (!op.summary || !/[\u4e00-\u9fff]/.test(op.summary)) problems.push(`${where}: needs a Chinese summary`);
        if (!op.responses || !Object.keys(op.responses).some((c) => /^2\d\d$/.test(c))) problems.push(`${where}: no success response`);
        for (const [code, r] of Object.entries(op.responses as Json)) if (!r.$ref && !r.description) problems.push(`${where} ${code}: response needs a description`);
        if (operationIds.has(op.operationId)) problems.push(`${where}: duplicate operationId`);
        operationIds.add(op.operationId);
        const pathParams = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const declared = (op.parameters ?? []).filter((x: Json) => x.in === 'path').map((x: Json) => x.name);
        expect(declared.sort(), where).toEqual(pathParams.sort());
        for (const param of op.parameters ?? []) {
          if (!['path', 'query', 'header', 'cookie'].includes(param.in)) problems.push(`${where}: parameter ${param.name} in ${param.in}`);
          if (param.in === 'path' && param.required !== true) problems.push(`${where}: path parameter ${param.name} must be required`);
          problems.push(...schemaProblems(param.schema, `${where} parameter ${param.name}`));
        }
        for (const [media, m] of Object.entries((op.requestBody?.content ?? {}) as Json)) problems.push(...schemaProblems(m.schema, `${where} body ${media}`));
        for (const [code, r] of Object.entries(op.responses as Json)) {
          for (const [media, m] of Object.entries((r.content ?? {}) as Json)) if (m.schema) problems.push(...schemaProblems(m.schema, `${where} ${code} ${media}`));
        }
        for (const req of op.security ?? []) for (const name of Object.keys(req)) if (!doc.components.securitySchemes[name]) problems.push(`${where}: unknown security scheme ${name}`);
      }
    }
    for (const [name, schema] of Object.entries(doc.components.schemas as Json)) problems.push(...schemaProblems(schema, `components.schemas.${name}`));
    // every $ref anywhere in the document points at something
    const refs: string[] = [];
    const collect = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref') refs.push(v as string);
          else collect(v);
        }
      }
    };
    collect(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) {
      if (!ref.startsWith('#/') || resolve(doc, ref) === undefined) problems.push(`unresolved $ref ${ref}`);
    }
    expect(problems).toEqual([]);
  });

  it('describes every route the app serves, and serves every route it describes, with the permission it checks', () => {
    const served = servedRoutes(app);
    const key = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`;
    const described = new Set(ROUTES.map(key));
    const servedKeys = new Set(served.map(key));
    expect(served.length).toBeGreaterThan(40);
    expect(served.filter((r) => !described.has(key(r))).map(key), 'served but not in server/openapi/registry.ts').toEqual([]);
    expect(ROUTES.filter((r) => !servedKeys.has(key(r))).map(key), 'in the registry but not served').toEqual([]);
    // the document has exactly the registry's operations
    const inDocument = Object.entries(doc.paths as Record<string, Json>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(inDocument.sort()).toEqual(ROUTES.map((r) => `${r.method.toUpperCase()} ${openApiPath(r.path)}`).sort());
    // a field note names a field the route has
    for (const r of ROUTES) {
      const op = doc.paths[openApiPath(r.path)][r.method];
      const names = [...(op.parameters ?? []).map((p: Json) => p.name), ...Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {})];
      for (const note of Object.keys(r.notes ?? {})) expect(names, `${key(r)} note ${note}`).toContain(note);
    }
    // the permission the document states is the one requirePermission() checks on that route
    for (const r of served) {
      const route = ROUTES.find((x) => key(x) === key(r))!;
      const documented = route.auth && route.auth !== 'token' ? [route.auth] : [];
      expect(r.permissions, key(r)).toEqual(documented);
    }
  });

  it('says which roles may call each admin and agent route, and that the public API needs no token', () => {
    const publish = doc.paths['/api/v1/admin/entries/{id}/publish'].post;
    expect(publish.security).toEqual([{ bearerAuth: ['reviewer', 'admin'] }]);
    expect(publish['x-permission']).toBe('entries:publish');
    expect(publish.responses['401'].$ref).toBe('#/components/responses/E401');
    expect(publish.responses['403'].$ref).toBe('#/components/responses/E403');
    expect(publish.responses['428']).toBeTruthy();
    expect(doc.paths['/api/v1/agent/answers'].post.security).toEqual([{ bearerAuth: ['agent', 'admin'] }]);
    expect(doc.paths['/api/v1/admin/audit'].get.security).toEqual([{ bearerAuth: ['admin'] }]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const answer = doc.paths['/api/v1/answer'].post;
    expect(answer.security).toEqual([]);
    expect(answer.responses['429']).toBeTruthy();
    expect(answer.responses['400'].$ref).toBe('#/components/responses/E400');
    expect(doc.components.schemas.Error.required.sort()).toEqual(['error', 'message']);
  });

  it('the answer API request schema comes from the zod schema: fields, enums, limits, no unknown fields', () => {
    const body = doc.paths['/api/v1/answer'].post.requestBody.content['application/json'];
    expect(body.schema.required).toEqual(['question']);
    expect(body.schema.additionalProperties).toBe(false);
    expect(body.schema.properties.channel.enum).toContain('miniprogram');
    expect(body.schema.properties.category.enum).toEqual(['guide', 'faq', 'glossary', 'policy', 'notice', 'hotline', 'department']);
    expect(body.schema.properties.sessionId.maxLength).toBe(100);
    expect(body.schema.properties.question.description).toMatch(/1–500 个字符/);
    expect(body.schema.properties.pick.description).toContain('unitId');
    expect(body.example.question).toBeTruthy();
    const list = doc.paths['/api/v1/admin/entries'].get.parameters as Json[];
    expect(list.find((p) => p.name === 'status')).toMatchObject({ in: 'query', required: false, schema: { enum: ['draft', 'published', 'archived'] } });
    expect(doc.paths['/api/v1/admin/entries/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    // the body an editor may send has no provenance fields (the API refuses them)
    expect(Object.keys(doc.paths['/api/v1/admin/entries'].post.requestBody.content['application/json'].schema.properties)).not.toContain('documentId');
  });

  it('what the public API really returns matches the documented shapes, examples included', async () => {
    const check = (schemaName: string, value: unknown) => expect(mismatches(doc, { $ref: `#/components/schemas/${schemaName}` }, value), schemaName).toEqual([]);
    const answered = (await request(app).post('/api/v1/answer').send({ question: '营业执照丢了怎么补', channel: 'pc' }).expect(200)).body;
    expect(answered.outcome).toBe('answered');
    check('AnswerResponse', answered);
    check('AnswerResponse', (await request(app).post('/api/v1/answer').send({ question: '火星签证怎么办理' }).expect(200)).body);
    check('AnswerResponse', (await request(app).post('/api/v1/answer').send({ question: '我要投诉窗口工作人员' }).expect(200)).body);
    check('AnswerResponse', doc.paths['/api/v1/answer'].post.responses['200'].content['application/json'].example);
    check('HandoffResponse', (await request(app).post('/api/v1/handoff').send({ askId: answered.askId }).expect(201)).body);
    check('SuggestResponse', (await request(app).get('/api/v1/suggest').query({ q: '营业执照' }).expect(200)).body);
    check('PublicEntry', (await request(app).get(`/api/v1/entries/${answered.answer.entryId}`).expect(200)).body);
    check('Categories', (await request(app).get('/api/v1/categories').expect(200)).body);
    check('Health', (await request(app).get('/healthz').expect(200)).body);
    check('Error', (await request(app).post('/api/v1/answer').send({ question: '' }).expect(400)).body);
    check('Error', (await request(app).get('/api/v1/admin/entries').expect(401)).body);
    // the checker does catch a field the document does not have
    expect(mismatches(doc, { $ref: '#/components/schemas/AnswerResponse' }, { ...answered, extra: 1 })).toEqual(['$.extra: not documented']);
  });

  it('the API page in the admin area shows every group and the answer API with parameters and examples, using no outside assets', async () => {
    const res = await request(app).get('/admin/api').expect(200);
    expect(res.type).toBe('text/html');
    const html = res.text;
    for (const heading of ['公共接口', '知识条目', '查遗补缺', '坐席回写', '文件导入与导出']) expect(html).toContain(`>${heading}</h2>`);
    expect(html).toContain('/api/v1/answer</code> — 提问并取得答复');
    expect(html).toContain('<code>question</code>');
    expect(html).toContain('请求示例');
    expect(html).toContain('响应示例');
    expect(html).toContain('&quot;outcome&quot;: &quot;answered&quot;');
    expect(html).toContain('href="/api/v1/openapi.json"');
    expect(html).toContain('权限 entries:publish');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toContain('<script');
    // the inline style is allowed by its hash, nothing else
    expect(res.headers['content-security-policy']).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });
});
