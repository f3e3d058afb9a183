/**
 * What the load test and the replica benchmark share: autocannon (typed: the package ships no types) and the
 * integer flags both take.
 */
import { createRequire } from 'node:module';
import { UsageError } from '../server/cli/args.js';

/** The part of autocannon's programmatic API used here. */
interface Histogram { average: number; mean: number; p50: number; p97_5: number; p99: number; max: number }
export interface AutocannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  '2xx': number;
}
export interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  setupRequest: (req: { body?: string }) => { body?: string };
}
type Autocannon = (opts: { url: string; connections: number; duration: number; pipelining: number; requests: AutocannonRequest[] }) => Promise<AutocannonResult>;
export const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** An integer flag of at least `min` (its fallback when absent); anything else is a usage error naming the flag. */
export function intFlag(flags: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} 应为不小于 ${min} 的整数`);
  return n;
}
