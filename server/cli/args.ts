import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * node:util's parseArgs in strict mode, for the project's CLIs: each declares its options with their types. What
 * parseArgs refuses (an unknown option, a value missing or where none belongs, an argument where none is taken) comes
 * back as a UsageError in Chinese, keyed by the error's code — its own English message never reaches a person.
 */
export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs({ ...config, strict: true }) as ReturnType<typeof parseArgs<T>>;
  } catch (err) {
    throw usageErrorFrom(err, config.options ?? {});
  }
}

/** The Chinese usage error for one of parseArgs' errors; anything else is returned as it is. */
function usageErrorFrom(err: unknown, options: NonNullable<ParseArgsConfig['options']>): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  // The option or argument parseArgs names, in quotes: "Unknown option '--x'", "Option '--dir <value>' argument missing".
  const named = err instanceof Error ? /'([^']+)'/.exec(err.message)?.[1] : undefined;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(named ? `不认识的选项：${named}` : '有不认识的选项。');
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(named ? `不接受参数：${named}` : '不接受选项以外的参数。');
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = named && /--([\w-]+)/.exec(named)?.[1];
      if (!name || !options[name]) return new UsageError('有选项的值不对。');
      return new UsageError(options[name].type === 'string' ? `--${name} 需要一个值` : `--${name} 不接受值`);
    }
    default:
      return err;
  }
}

/** A command line the CLI cannot run: its message is for a person, the CLI exits with code 2 and its usage text. */
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
