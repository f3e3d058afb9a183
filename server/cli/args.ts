import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Minimal argv parsing for the project's CLIs: --flag, --key value, --key=value and positionals. */
export interface ParsedArgs {
  flags: Record<string, string | true>;
  positionals: string[];
}

export function parseArgs(argv: string[], valueFlags: string[]): ParsedArgs {
  const flags: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (!arg.startsWith('--')) { positionals.push(arg); continue; }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (valueFlags.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} 需要一个值`);
      flags[name] = value;
    } else if (inline !== undefined) {
      throw new UsageError(`--${name} 不接受值`);
    } else {
      flags[name] = true;
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
