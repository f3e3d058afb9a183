/**
 * Starting and stopping the real server (dist/server/index.js) as a child process, for the load test and the
 * replica benchmark: a free loopback port, the child's last lines kept for an error message, readiness from
 * /healthz (the index caught up), its resident memory, a graceful stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../server/config.js';

export const SERVER_ENTRY = path.join(REPO_ROOT, 'dist', 'server', 'index.js');

/** A free loopback port (the server needs a fixed PORT): bind :0, note the port, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Keeps the last lines a child printed, to show when it fails (and so its pipes never fill up). */
export function tail(child: ChildProcess, keep = 40): () => string {
  const lines: string[] = [];
  const add = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > keep) lines.splice(0, lines.length - keep);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => lines.join('\n');
}

export async function waitHealthy(base: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`服务进程已退出（退出码 ${child.exitCode}）`);
    try {
      const res = await fetch(`${base}/healthz`);
      const body = (await res.json()) as { index?: { upToDate?: boolean } };
      if (res.ok && body.index?.upToDate) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`服务在 ${timeoutMs / 1000} s 内没有就绪`);
}

export function rssOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null; // not Linux
  }
}

/** Resident memory of a process and all its descendants (KB_WORKERS forks its workers from the primary). */
export function rssOfTree(pid: number): number | null {
  const own = rssOf(pid);
  if (own === null) return null;
  let children: number[] = [];
  try {
    children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    /* not Linux, or gone */
  }
  return children.reduce((n, c) => n + (rssOfTree(c) ?? 0), own);
}

export async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** A running server: its base URL, process and what it printed. */
export interface StartedServer {
  base: string;
  child: ChildProcess;
  output: () => string;
  /** Seconds from spawn to ready (listening, index caught up with the KB). */
  readyS: number;
}

/** Starts the server with this environment on a free port (no jobs, builtin embedder, rate limit lifted) and waits until it is ready. */
export async function startServer(env: NodeJS.ProcessEnv, timeoutMs = 600_000): Promise<StartedServer> {
  if (!fs.existsSync(SERVER_ENTRY)) throw new Error(`找不到 ${SERVER_ENTRY}：先构建（npm run build）`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = performance.now();
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: REPO_ROOT,
    // One client address here: lift the per-client rate limit, which would otherwise answer 429 after 120 requests.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KB_CRON: 'off', KB_EMBEDDER: 'builtin', KB_RATE_LIMIT: '1000000000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = tail(child);
  try {
    await waitHealthy(base, child, timeoutMs);
  } catch (err) {
    await stop(child);
    throw new Error(`${(err as Error).message}\n${output()}`);
  }
  return { base, child, output, readyS: (performance.now() - t) / 1000 };
}
