import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs as parseNodeArgs } from 'node:util';

/** The project's CLIs: --flag, --key value, --key=value and positionals, read by node:util's parseArgs. */
export interface ParsedArgs {
  flags: Record<string, string | true>;
  positionals: string[];
}

/**
 * `valueFlags` take a value; any other --flag is a switch. Unknown switches are passed on (each CLI says what it
 * does not know), but a value where none belongs, or none where one is needed, is a usage error in Chinese.
 */
export function parseArgs(argv: string[], valueFlags: string[]): ParsedArgs {
  const options = Object.fromEntries(valueFlags.map((name) => [name, { type: 'string' as const }]));
  const { tokens } = parseNodeArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const flags: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    if (valueFlags.includes(t.name)) {
      if (t.value === undefined || (!t.inlineValue && t.value.startsWith('--'))) throw new UsageError(`--${t.name} 需要一个值`);
      flags[t.name] = t.value;
    } else if (t.value !== undefined) {
      throw new UsageError(`--${t.name} 不接受值`);
    } else {
      flags[t.name] = true;
    }
  }
  return { flags, positionals };
}

export class UsageError extends Error {}

/** True when the module with this import.meta.url is the program being run (not imported by a test). */
export function isMainModule(importMetaUrl: string): boolean {
  try {
    return Boolean(process.argv[1]) && importMetaUrl === pathToFileURL(fs.realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

/**
 * Prints why a command failed, for a person, and gives its exit code: 2 for a usage error (with the usage text),
 * 1 otherwise. Errors of the `expected` kinds carry a message meant for the operator and are printed as they are;
 * anything else is prefixed with what failed.
 */
export function reportFailure(err: unknown, usage: string, what: string, expected: Array<abstract new (...args: never[]) => Error> = []): number {
  if (err instanceof UsageError) {
    console.error(err.message.includes('用法') ? err.message : `${err.message}\n${usage}`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  console.error(expected.some((E) => err instanceof E) ? message : `${what}：${message}`);
  return 1;
}

/** An instant from --now: a date or date-time in Shanghai time unless it carries its own offset (Z or ±HH:MM). */
export function parseNow(value: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(:\d{2}(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(value.trim());
  if (!m) throw new UsageError(`--now ${value} 无效：应为 ISO 时间，如 2026-12-31T09:00:00+08:00 或 2026-12-31`);
  const [, y, mo, d, hh = '00', mm = '00', ss = '', zone = '+08:00'] = m;
  // Date() would roll 2026-02-30 over to March: check the fields before building the instant.
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const at = new Date(`${y}-${mo}-${d}T${hh}:${mm}${ss}${zone}`);
  if (day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d) || Number(hh) > 23 || Number.isNaN(at.getTime())) {
    throw new UsageError(`--now ${value} 不是有效的日期时间`);
  }
  return at;
}
