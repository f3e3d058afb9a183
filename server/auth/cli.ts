#!/usr/bin/env node
/**
 * npm run token -- create --role ROLE --name NAME [--by WHO] [--data-dir DIR]
 * npm run token -- list [--data-dir DIR]
 * npm run token -- revoke ID [--data-dir DIR]
 * Manages API access tokens. A new token is printed once (alone on stdout); only its hash is stored.
 */
import os from 'node:os';
import { KnowledgeBase } from '../kb/index.js';
import { ValidationError } from '../kb/errors.js';
import { dataDir } from '../config.js';
import { shanghaiDateTime } from '../ops/calendar.js';
import { parseCliArgs, UsageError } from '../cli/args.js';
import { ROLES, ROLE_LABELS, isRole, TokenStore, type TokenRecord } from './tokens.js';

const USAGE = [
  '用法:',
  `  npm run token -- create --role ${ROLES.join('|')} --name 名称 [--by 创建人] [--data-dir DIR]`,
  '  npm run token -- list [--data-dir DIR]',
  '  npm run token -- revoke 令牌ID [--data-dir DIR]',
].join('\n');

function usage(message: string): never {
  throw new UsageError(message);
}

function currentUser(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return 'cli';
  }
}

function main(): number {
  const args = parseCliArgs({
    args: process.argv.slice(2),
    options: { 'data-dir': { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, by: { type: 'string' }, help: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...rest] = args.positionals;
  if (!command) usage('缺少子命令（create / list / revoke）。');
  if (!['create', 'list', 'revoke'].includes(command)) usage(`未知的子命令：${command}`);

  let create: { role: string; name: string; by: string } | null = null;
  let revokeId: number | null = null;
  if (command === 'create') {
    if (rest.length) usage(`create 不接受位置参数：${rest.join(' ')}`);
    const role = args.values.role;
    const name = args.values.name;
    if (typeof role !== 'string') usage('create 需要 --role。');
    if (!isRole(role)) usage(`未知的角色：${role}（可选：${ROLES.join(' / ')}）`);
    if (typeof name !== 'string' || !name.trim()) usage('create 需要 --name（令牌持有人或用途，例如 --name 张三）。');
    create = { role, name, by: args.values.by ?? currentUser() };
  } else if (command === 'list') {
    if (rest.length) usage(`list 不接受位置参数：${rest.join(' ')}`);
  } else {
    if (rest.length !== 1) usage('revoke 需要且只需要一个令牌 ID（见 npm run token -- list）。');
    const id = Number(rest[0]);
    if (!/^\d+$/.test(rest[0]) || !Number.isSafeInteger(id) || id <= 0) usage(`令牌 ID 应为正整数：${rest[0]}`);
    revokeId = id;
  }
  for (const f of ['role', 'name', 'by'] as const) {
    if (command !== 'create' && args.values[f] !== undefined) usage(`--${f} 只用于 create。`);
  }

  const kb = KnowledgeBase.open(dataDir(args.values['data-dir']));
  try {
    const store = new TokenStore(kb.db, kb.clock);
    if (create) {
      const { token, record } = store.create(create.name, create.role as TokenRecord['role'], create.by);
      console.error(`已创建令牌 #${record.id}（${record.name}，角色 ${record.role} ${ROLE_LABELS[record.role]}）：`);
      console.log(token);
      console.error('⚠ 请立即妥善保存此令牌：它只显示这一次，知识库只保存其哈希，无法找回。遗失后请吊销并重新创建。');
      return 0;
    }
    if (command === 'list') {
      printList(store.list());
      return 0;
    }
    const before = store.get(revokeId!);
    if (!before) {
      console.error(`令牌 ${revokeId} 不存在。`);
      return 1;
    }
    if (before.revokedAt) {
      console.log(`令牌 #${before.id}（${before.name}）已于 ${shanghaiDateTime(before.revokedAt)}（北京时间）吊销，未作更改。`);
      return 0;
    }
    const record = store.revoke(revokeId!);
    console.log(`已吊销令牌 #${record.id}（${record.name}，${record.prefix}…，角色 ${record.role}）：它从现在起不能再使用。`);
    return 0;
  } finally {
    kb.close();
  }
}

function printList(records: TokenRecord[]): void {
  if (!records.length) {
    console.log('还没有令牌。用 npm run token -- create --role editor --name 名称 创建。');
    return;
  }
  // times in Shanghai, as on the admin page
  const rows = [['ID', '前缀', '角色', '名称', '创建时间（北京时间）', '创建人', '最近使用', '状态']];
  for (const r of records) {
    rows.push([
      String(r.id),
      `${r.prefix}…`,
      `${ROLE_LABELS[r.role]}（${r.role}）`,
      r.name,
      shanghaiDateTime(r.createdAt),
      r.createdBy,
      r.lastUsedAt ? shanghaiDateTime(r.lastUsedAt) : '-',
      r.revokedAt ? `已吊销 ${shanghaiDateTime(r.revokedAt)}` : '有效',
    ]);
  }
  // Pad by display width: CJK characters take two columns.
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  const cols = rows[0].map((_, i) => Math.max(...rows.map((r) => width(r[i]))));
  for (const r of rows) console.log(r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(cols[i] - width(c)))).join('  ').trimEnd());
}

try {
  process.exitCode = main();
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`${err.message}\n${USAGE}`);
    process.exitCode = 2;
  } else if (err instanceof ValidationError) {
    console.error(err.message);
    process.exitCode = 2;
  } else {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
