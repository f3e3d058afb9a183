import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

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
