/**
 * Limits on reading one uploaded or imported file (ingest/read-bounded.ts): a file is read in a worker thread
 * that is stopped when it runs too long or needs too much memory, and a .docx/.xlsx is refused before it is opened
 * when it unzips to too much. Each limit is an environment variable (README, 环境变量).
 */
export interface ReadLimits {
  /** Wall-clock time one file may take to read and prepare (KB_READ_TIMEOUT_S). */
  timeoutMs: number;
  /** V8 heap of the reading thread, in MB (KB_READ_MEMORY_MB). */
  memoryMb: number;
  /** Total unzipped size of a .docx/.xlsx (KB_UNZIP_MAX_MB). */
  maxUnzippedBytes: number;
  /** Largest unzipped/zipped ratio of one part of a .docx/.xlsx above 1 MB unzipped (KB_UNZIP_MAX_RATIO). */
  maxZipRatio: number;
}

export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  timeoutMs: 60_000,
  memoryMb: 1024,
  maxUnzippedBytes: 200 * 1024 * 1024,
  maxZipRatio: 100,
});

/** Names of the variables, for messages that tell an operator what to change. */
export const LIMIT_VARIABLES = {
  timeoutMs: 'KB_READ_TIMEOUT_S',
  memoryMb: 'KB_READ_MEMORY_MB',
  maxUnzippedBytes: 'KB_UNZIP_MAX_MB',
  maxZipRatio: 'KB_UNZIP_MAX_RATIO',
} as const;

/** A positive number from the environment; a value that is not one is a configuration error naming the variable. */
function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`环境变量 ${name} 应为正数，现为“${raw}”`);
  return n;
}

/** The limits in effect: KB_READ_TIMEOUT_S, KB_READ_MEMORY_MB, KB_UNZIP_MAX_MB, KB_UNZIP_MAX_RATIO, else the defaults. */
export function readLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): ReadLimits {
  const d = DEFAULT_READ_LIMITS;
  return {
    timeoutMs: positive(env, LIMIT_VARIABLES.timeoutMs, d.timeoutMs / 1000) * 1000,
    memoryMb: Math.max(64, Math.round(positive(env, LIMIT_VARIABLES.memoryMb, d.memoryMb))),
    maxUnzippedBytes: positive(env, LIMIT_VARIABLES.maxUnzippedBytes, d.maxUnzippedBytes / 1024 / 1024) * 1024 * 1024,
    maxZipRatio: positive(env, LIMIT_VARIABLES.maxZipRatio, d.maxZipRatio),
  };
}

/** 1.5 MB, 20 MB: a size as people read it. */
export const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
