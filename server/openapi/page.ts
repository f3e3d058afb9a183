import crypto from 'node:crypto';

/** The API document as a page for people (/admin/api): server-rendered, no scripts, no assets from elsewhere. */

type Json = Record<string, any>;

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
body{font:15px/1.6 system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;color:#1f2937;background:#f8fafc}
main{max-width:1000px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 8px}h2{margin-top:40px;border-bottom:2px solid #cbd5e1;padding-bottom:4px}
nav ul{columns:2;padding-left:20px}
section.op{background:#fff;border:1px solid #e2e8f0;border-radius:6px;padding:12px 16px;margin:12px 0}
h3{font-size:1.05em;margin:0}code,pre{font-family:ui-monospace,Consolas,monospace;font-size:13px}
pre{background:#f1f5f9;padding:8px;overflow:auto;border-radius:4px;white-space:pre-wrap}
.m{display:inline-block;min-width:52px;text-align:center;border-radius:4px;color:#fff;font-weight:600;margin-right:6px;font-size:12px}
.get{background:#2563eb}.post{background:#059669}.put{background:#d97706}.patch{background:#7c3aed}.delete{background:#dc2626}
.auth{color:#92400e}.pub{color:#065f46}
table{border-collapse:collapse;width:100%;margin:6px 0}td,th{border:1px solid #e2e8f0;padding:4px 6px;text-align:left;vertical-align:top;font-size:14px}
th{background:#f1f5f9}`;

export const PAGE_STYLE_HASH = `'sha256-${crypto.createHash('sha256').update(STYLE).digest('base64')}'`;

function typeOf(s: Json | undefined): string {
  if (!s) return '';
  if (s.$ref) return String(s.$ref).split('/').pop()!;
  if (s.enum) return s.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' 或 ');
  if (s.type === 'array') return `${typeOf(s.items)}[]`;
  if (Array.isArray(s.type)) return s.type.join(' | ');
  return s.type ?? '任意';
}

function limits(s: Json): string {
  const out: string[] = [];
  if (s.minLength !== undefined) out.push(`至少 ${s.minLength} 字`);
  if (s.maxLength !== undefined) out.push(`最多 ${s.maxLength} 字`);
  if (s.minItems !== undefined) out.push(`至少 ${s.minItems} 项`);
  if (s.maxItems !== undefined) out.push(`最多 ${s.maxItems} 项`);
  if (s.pattern) out.push(`格式 ${s.pattern}`);
  if (s.default !== undefined) out.push(`默认 ${JSON.stringify(s.default)}`);
  return out.join('，');
}

function fieldsTable(schema: Json): string {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  if (!Object.keys(props).length) return '';
  const required = new Set<string>(schema.required ?? []);
  const rows = Object.entries(props).map(
    ([name, s]) => `<tr><td><code>${esc(name)}</code></td><td>${esc(typeOf(s))}</td><td>${required.has(name) ? '是' : ''}</td><td>${esc([s.description, limits(s)].filter(Boolean).join('；'))}</td></tr>`,
  );
  return `<table><tr><th>字段</th><th>类型</th><th>必填</th><th>说明</th></tr>${rows.join('')}</table>`;
}

function operationHtml(path: string, method: string, op: Json, doc: Json): string {
  const parts = [`<section class="op" id="${esc(op.operationId)}"><h3><span class="m ${method}">${method.toUpperCase()}</span><code>${esc(path)}</code> — ${esc(op.summary)}</h3>`];
  const roles = op.security?.[0]?.bearerAuth as string[] | undefined;
  parts.push(roles ? `<p class="auth">需要令牌${op['x-permission'] ? `（权限 ${esc(op['x-permission'])}：${esc(roles.join('、'))}）` : ''}</p>` : '<p class="pub">不需要令牌</p>');
  if (op.description) parts.push(`<p>${esc(op.description).replace(/\n\n/g, '<br>')}</p>`);
  if (op.parameters?.length) {
    const rows = op.parameters.map(
      (p: Json) => `<tr><td><code>${esc(p.name)}</code></td><td>${esc({ path: '路径', query: '查询', header: '请求头' }[p.in as string] ?? p.in)}</td><td>${esc(typeOf(p.schema))}</td><td>${p.required ? '是' : ''}</td><td>${esc([p.description, limits(p.schema ?? {})].filter(Boolean).join('；'))}</td></tr>`,
    );
    parts.push(`<h4>参数</h4><table><tr><th>名称</th><th>位置</th><th>类型</th><th>必填</th><th>说明</th></tr>${rows.join('')}</table>`);
  }
  const body = op.requestBody?.content;
  if (body?.['application/json']) {
    const media = body['application/json'];
    const schema = media.schema as Json;
    parts.push(`<h4>请求体（JSON）</h4>${schema.anyOf ? schema.anyOf.map(fieldsTable).join('<p>或</p>') : fieldsTable(schema)}`);
    if (media.example) parts.push(`<h4>请求示例</h4><pre>${esc(`${method.toUpperCase()} ${path}\nContent-Type: application/json\n\n${JSON.stringify(media.example, null, 2)}`)}</pre>`);
  } else if (body) {
    parts.push('<h4>请求体</h4><p>文件内容（application/octet-stream）</p>');
  }
  const rows: string[] = [];
  let example: unknown;
  let shape = '';
  for (const [code, r] of Object.entries(op.responses as Record<string, Json>)) {
    const resp = r.$ref ? doc.components.responses[String(r.$ref).split('/').pop()!] : r;
    rows.push(`<tr><td>${esc(code)}</td><td>${esc(resp.description)}</td></tr>`);
    const json = r.content?.['application/json'];
    if (json && !r.$ref) {
      example = json.example;
      const ref = json.schema?.$ref as string | undefined;
      if (ref) shape = `<h4>响应（${esc(ref.split('/').pop())}）</h4>${fieldsTable(doc.components.schemas[ref.split('/').pop()!])}`;
    }
  }
  parts.push(`<h4>响应</h4><table><tr><th>状态码</th><th>含义</th></tr>${rows.join('')}</table>${shape}`);
  if (example !== undefined) parts.push(`<h4>响应示例</h4><pre>${esc(JSON.stringify(example, null, 2))}</pre>`);
  parts.push('</section>');
  return parts.join('\n');
}

export function renderApiPage(doc: Json): string {
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags[0] as string;
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push(operationHtml(path, method, op, doc));
    }
  }
  const tags = (doc.tags as Array<{ name: string; description: string }>).filter((t) => byTag.has(t.name));
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>接口说明 — bangban-kb</title><style>${STYLE}</style></head>
<body><main>
<h1>接口说明</h1>
<p>${esc(doc.info.description)}</p>
<p>机器可读的 OpenAPI 3.1 文档：<a href="/api/v1/openapi.json"><code>/api/v1/openapi.json</code></a>（版本 ${esc(doc.info.version)}），可导入接口管理工具或生成客户端代码。</p>
<p>错误响应的格式：<code>{"error": "invalid", "field": "question", "message": "question：不能为空"}</code>。令牌在请求头 <code>Authorization: Bearer &lt;令牌&gt;</code> 中，没有令牌 401、角色不允许 403。</p>
<nav><ul>${tags.map((t, i) => `<li><a href="#g${i}">${esc(t.name)}</a>（${byTag.get(t.name)!.length}）</li>`).join('')}</ul></nav>
${tags.map((t, i) => `<h2 id="g${i}">${esc(t.name)}</h2><p>${esc(t.description)}</p>\n${byTag.get(t.name)!.join('\n')}`).join('\n')}
</main></body></html>`;
}
