import { z } from 'zod';
import { PERMISSION_LABELS, PERMISSIONS, ROLE_LABELS, type Role } from '../auth/tokens.js';
import { ROUTES, TAGS, type RouteDoc } from './registry.js';
import { COMPONENTS } from './responses.js';

/** OpenAPI 3.1 uses JSON Schema 2020-12: zod writes it (input side for requests, output side for responses). */
type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // refine() and transform() have no JSON Schema form: the checks zod can express are kept, the rest is prose
  const { $schema: _s, ...out } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
  return out;
}

/** The component name of a named response shape (COMPONENTS), if it is one. */
function componentOf(schema: z.ZodType): string | undefined {
  return Object.entries(COMPONENTS).find(([, c]) => c === schema)?.[0];
}

/** express :id → OpenAPI {id} */
export const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

const ERROR_TEXT: Record<number, string> = {
  400: '参数无效（field 指出哪个字段）',
  401: '没有有效的访问令牌',
  403: '令牌的角色无权进行此操作',
  404: '不存在',
  409: '冲突：别人已修改（version_conflict，附当前版本 current）或状态不允许',
  410: '条目已过失效日期',
  413: '请求体过大（JSON 上限 64 KB，文件上限 20 MB）',
  415: '只接受 UTF-8 编码的 JSON',
  422: '文件读取超时或超出内存上限',
  428: '缺少版本号（请求体 version 或 If-Match）',
  429: '请求过于频繁（公共接口限流，或令牌验证失败过多），见 Retry-After',
  503: '暂时不可用：知识库数据库连不上，或（多进程时）有工作进程尚未就绪，见 Retry-After',
};

function rolesOf(route: RouteDoc): Role[] {
  if (!route.auth) return [];
  if (route.auth === 'token') return Object.keys(ROLE_LABELS) as Role[];
  return [...PERMISSIONS[route.auth]];
}

function authText(route: RouteDoc): string {
  if (!route.auth) return '';
  const roles = rolesOf(route).map((r) => ROLE_LABELS[r]).join('、');
  if (route.auth === 'token') return `需要令牌（任何角色）。`;
  return `需要权限“${PERMISSION_LABELS[route.auth]}”（${route.auth}：${roles}${route.auth === 'entries:publish' ? '；KB_SINGLE_PERSON=1 时编辑也可' : ''}）。`;
}

function parameters(route: RouteDoc): JsonSchema[] {
  const out: JsonSchema[] = [];
  const add = (where: 'path' | 'query', schema: z.ZodType | undefined) => {
    if (!schema) return;
    const js = jsonSchema(schema, 'input');
    const required = new Set((js.required as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries((js.properties ?? {}) as Record<string, JsonSchema>)) {
      const { description: fromSchema, ...rest } = prop;
      const description = route.notes?.[name] ?? fromSchema;
      out.push({ name, in: where, required: where === 'path' || required.has(name), schema: rest, ...(description ? { description } : {}) });
    }
  };
  add('path', route.params);
  // a path parameter without a schema is still a parameter
  for (const [, name] of route.path.matchAll(/:(\w+)/g)) {
    if (!out.some((p) => p.in === 'path' && p.name === name)) out.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  add('query', route.query);
  if (route.body === 'file') {
    out.push({ name: 'X-File-Name', in: 'header', required: false, description: '文件名（URL 编码），也可用查询参数 name', schema: { type: 'string' } });
  }
  if (route.ifMatch) out.push({ name: 'If-Match', in: 'header', required: false, description: '条目的版本号，如 "3"（或在请求体写 version）', schema: { type: 'string' } });
  return out;
}

function requestBody(route: RouteDoc): JsonSchema | undefined {
  if (!route.body) return undefined;
  if (route.body === 'file') {
    return { required: true, description: '文件内容', content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } };
  }
  const example = route.example?.request;
  const schema = jsonSchema(route.body, 'input');
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  for (const [name, note] of Object.entries(route.notes ?? {})) if (props?.[name]) props[name] = { ...props[name], description: note };
  return { required: true, content: { 'application/json': { schema, ...(example ? { example } : {}) } } };
}

function responses(route: RouteDoc): Record<string, JsonSchema> {
  const { ok } = route;
  let content: JsonSchema | undefined;
  if (ok.schema) {
    const id = componentOf(ok.schema);
    const example = route.example?.response;
    content = { 'application/json': { schema: id ? { $ref: `#/components/schemas/${id}` } : jsonSchema(ok.schema, 'output'), ...(example ? { example } : {}) } };
  } else if (ok.media) {
    content = { [ok.media]: {} };
  }
  const out: Record<string, JsonSchema> = { [String(ok.status)]: { description: ok.description, ...(content ? { content } : {}) } };
  const codes = new Set(route.errors ?? []);
  if (route.auth) {
    codes.add(401);
    if (route.auth !== 'token') codes.add(403);
    codes.add(429); // repeated failed tokens
  }
  if (route.limited) codes.add(429);
  for (const code of [...codes].sort()) out[String(code)] = { $ref: `#/components/responses/E${code}` };
  return out;
}

function operation(route: RouteDoc): JsonSchema {
  const params = parameters(route);
  const body = requestBody(route);
  const description = [route.description, authText(route)].filter(Boolean).join('\n\n');
  return {
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')) || 'Root'}`,
    tags: [TAGS[route.tag].name],
    summary: route.summary,
    ...(description ? { description } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: responses(route),
    // OpenAPI 3.1 lets a bearer scheme list the roles an operation needs
    security: route.auth ? [{ bearerAuth: rolesOf(route) }] : [],
    ...(route.auth && route.auth !== 'token' ? { 'x-permission': route.auth } : {}),
  };
}

/** The OpenAPI 3.1 document of every route in ROUTES. */
export function buildOpenApiDocument(version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const schemas = Object.fromEntries(Object.entries(COMPONENTS).map(([name, schema]) => [name, jsonSchema(schema, 'output')]));
  for (const route of ROUTES) {
    const p = openApiPath(route.path);
    (paths[p] ??= {})[route.method] = operation(route);
  }
  const errorResponses: Record<string, JsonSchema> = {};
  for (const [code, text] of Object.entries(ERROR_TEXT)) {
    errorResponses[`E${code}`] = { description: text, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'bangban-kb 一网通办帮办知识库接口',
      version,
      description:
        '公共接口供聊天组件和门户调用（不需要令牌，按客户端限流）；管理与坐席接口需要 Authorization: Bearer <令牌>，按角色授权。' +
        '所有 JSON 请求体上限 64 KB，错误为 4xx {error, message, field?}。可读版本见 /admin/api。',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: '/', description: '本服务' }],
    tags: Object.values(TAGS).map((t) => ({ name: t.name, description: t.description })),
    paths,
    components: {
      schemas,
      responses: errorResponses,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: '访问令牌（npm run token -- create --role editor|reviewer|agent|admin --name 姓名）。角色：editor 编辑、reviewer 审核、agent 坐席/智能体、admin 管理员；各操作所需角色写在 security 里。',
        },
      },
    },
  };
}
