import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import crypto from 'node:crypto';
import type { KbLocation } from './kb/db.js';

/** Repository root, whether running from sources (tsx/vitest) or from dist/. */
export const REPO_ROOT = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const up = path.resolve(here, '..');
  return path.basename(up) === 'dist' ? path.resolve(up, '..') : up;
})();

/** KB_DATA_DIR: the directory holding the database and every derived file (default kb-data/). */
export function dataDir(override?: string): string {
  return path.resolve(override ?? process.env.KB_DATA_DIR ?? path.join(REPO_ROOT, 'kb-data'));
}

/** The SQLite file of a data directory's KB. */
export const DB_FILE_NAME = 'kb.db';

/**
 * Where the KB of a data directory lives. Without KB_DATABASE_URL: the SQLite file kb.db in it (the embedded default).
 * With KB_DATABASE_URL=postgres://…: a schema of that PostgreSQL database, KB_DATABASE_SCHEMA (default `bangban`);
 * every replica serving one KB uses the same URL and schema. `{dataDir}` in the schema name stands for a short hash of
 * the data directory — one schema per data directory, as several KBs on one server (and the test matrix) want.
 */
export function kbLocation(dir: string, env: NodeJS.ProcessEnv = process.env): KbLocation {
  const url = env.KB_DATABASE_URL?.trim();
  if (!url) return { kind: 'sqlite', file: path.join(dir, DB_FILE_NAME) };
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`KB_DATABASE_URL 无效：应以 postgres:// 开头，如 postgres://用户:密码@主机:5432/数据库`);
  const template = env.KB_DATABASE_SCHEMA?.trim() || 'bangban';
  const schema = template.replace('{dataDir}', `kb_${crypto.createHash('sha1').update(path.resolve(dir)).digest('hex').slice(0, 12)}`);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`KB_DATABASE_SCHEMA=${template} 无效：模式名应由小写字母、数字和下划线组成，以字母开头，不超过 63 个字符`);
  return { kind: 'postgres', url, schema };
}

/** The bundled sample documents ingested into an empty knowledge base. */
export const SAMPLE_DOCS_DIR = path.join(REPO_ROOT, 'kb-data', 'docs');

/** Express's trust-proxy setting: false, true, a hop count, or a list of addresses, subnets and named ranges. */
export type TrustProxy = boolean | number | string[];

/** The named ranges express (proxy-addr) understands. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IPv4/IPv6 address, optionally with a prefix length (/24, /64) or an IPv4 netmask (/255.255.255.0). */
function isAddressOrSubnet(item: string): boolean {
  const [address, range, extra] = item.split('/');
  const family = net.isIP(address);
  if (!family || extra !== undefined) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && net.isIPv4(range);
}

/**
 * KB_TRUST_PROXY as the README documents it: unset, `false`/`0` → trust no proxy; `true` → trust every hop;
 * a hop count (`1`, `2`); or a comma-separated list of addresses, subnets and express's named ranges
 * (`loopback`, `linklocal`, `uniquelocal`). Anything else stops the start with a message naming the variable.
 */
export function trustProxyFromEnv(value: string | undefined = process.env.KB_TRUST_PROXY): TrustProxy {
  const v = (value ?? '').trim();
  if (v === '' || /^(false|off|no)$/i.test(v)) return false;
  if (/^(true|on|yes)$/i.test(v)) return true;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 32) throw new Error(`KB_TRUST_PROXY=${v} 无效：代理跳数应为 0–32 的整数`);
    return hops === 0 ? false : hops;
  }
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((item) => !NAMED_RANGES.has(item.toLowerCase()) && !isAddressOrSubnet(item));
  if (!items.length || bad.length) {
    throw new Error(
      `KB_TRUST_PROXY=${v} 无效：${bad.length ? `“${bad.join('”“')}”不是 IP 地址或网段，` : ''}` +
        '应为代理跳数（如 1）、true / false，或逗号分隔的代理地址与网段（如 10.0.0.1,192.168.0.0/16），也可用 loopback、linklocal、uniquelocal',
    );
  }
  return items.map((item) => (NAMED_RANGES.has(item.toLowerCase()) ? item.toLowerCase() : item));
}
