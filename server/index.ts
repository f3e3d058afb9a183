/**
 * npm start: opens the knowledge base in KB_DATA_DIR (default kb-data/); an empty one is first filled from the
 * bundled sample documents in kb-data/docs/ (published). Builds the search index, serves on PORT (default 3000),
 * and shuts down gracefully. KB_WORKERS=N (N > 1) serves from N processes sharing the port: the primary prepares
 * the KB and the index once, then forks; only the first worker runs the scheduled jobs.
 */
import cluster from 'node:cluster';
import fs from 'node:fs';
import path from 'node:path';
import { startupMessage } from './startup-message.js';
import { dataDir, SAMPLE_DOCS_DIR, trustProxyFromEnv } from './config.js';
import { createApp } from './app.js';
import { rateLimitOptionsFromEnv } from './http/security.js';
import { createServices, envEmbedderMode } from './services.js';
import { bootstrapAdminToken } from './auth/tokens.js';
import { KnowledgeBase } from './kb/index.js';
import { importPaths } from './commands/importFile.js';
import { JobRunner } from './ops/jobs.js';
import { JobScheduler, scheduleConfig } from './ops/scheduler.js';
import { serveClusterMetrics } from './metrics.js';

/** The data directory as the operator typed it: relative to where they started, unless it is elsewhere. */
function shownDir(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : dir;
}

/** Fills an empty KB from the sample documents. */
async function prepareKb(dir: string): Promise<void> {
  const fresh = KnowledgeBase.open(dir);
  if (fresh.entries.list({ limit: 1 }).total === 0 && fs.existsSync(SAMPLE_DOCS_DIR)) {
    console.log(`知识库为空，正在导入并发布示例文档 ${shownDir(SAMPLE_DOCS_DIR)} …`);
    const { results } = await importPaths({ kb: fresh }, [SAMPLE_DOCS_DIR], { publish: true, actor: 'sample-kb' });
    for (const r of results) console.log(`  ${r.status === 'failed' ? '失败' : '导入'} ${r.error ?? r.title}`);
  }
  fresh.close();
}

function workerCount(): number {
  const n = Number(process.env.KB_WORKERS ?? 1);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`KB_WORKERS=${process.env.KB_WORKERS} 无效：应为 1–64 的整数`);
  return n;
}

/** The primary of a multi-process server: prepares the KB and index once, forks, forwards signals, restarts crashes. */
async function primary(workers: number): Promise<void> {
  // a bad value stops the start here, not in every worker restarted in a loop
  trustProxyFromEnv();
  rateLimitOptionsFromEnv();
  const dir = dataDir();
  await prepareKb(dir);
  const warm = await createServices({ dataDir: dir, embedderMode: envEmbedderMode() }); // builds and saves the index
  warm.close();
  serveClusterMetrics(); // /metrics on any worker covers all of them
  let stopping = false;
  const fork = (index: number) => {
    const worker = cluster.fork({ KB_WORKER_INDEX: String(index), ...(index > 0 ? { KB_CRON: 'off' } : {}) });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(`工作进程 ${index} 退出（${signal ?? code}），正在重启…`);
      setTimeout(() => fork(index), 1000).unref();
    });
  };
  for (let i = 0; i < workers; i++) fork(i);
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    const done = () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0);
    cluster.on('exit', done);
    done();
    setTimeout(() => process.exit(1), 12_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function main(): Promise<void> {
  const dir = dataDir();
  if (cluster.isPrimary) await prepareKb(dir);

  const services = await createServices({ dataDir: dir, embedderMode: envEmbedderMode() });
  bootstrapAdminToken(services.tokens, process.env.KB_ADMIN_TOKEN);
  if (cluster.isWorker) services.metrics.joinCluster();
  const scheduler = new JobScheduler(new JobRunner(services), scheduleConfig()); // bad KB_CRON_* schedules stop the start here
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '0.0.0.0';
  const server = createApp(services).listen(port, host, () => {
    scheduler.start();
    // one worker of several says it once
    if (process.env.KB_WORKER_INDEX && process.env.KB_WORKER_INDEX !== '0') return;
    const jobs = scheduler.config.enabled ? `${scheduler.config.jobs.length ? `${scheduler.config.jobs.length} 个（上海时间），npm run jobs -- list 查看` : '全部停用'}` : '已停用（KB_CRON=off）';
    const lines = startupMessage({
      port, dataDir: shownDir(dir), publishedEntries: services.engine.status().entries,
      embedderNote: services.embedderNote, adminTokenFromEnv: Boolean(process.env.KB_ADMIN_TOKEN), jobs,
    });
    console.log(lines.join('\n'));
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`收到 ${signal}，停止接收新请求，等待处理中的请求完成…`);
    const jobsStopped = scheduler.stop(); // no new runs; the ones in progress finish before the database closes
    server.close(() => {
      // Asks still being gathered into the gap queue are written before the database closes.
      void Promise.allSettled([jobsStopped, services.answers.settled()]).finally(() => {
        services.close();
        console.log('已停止。');
        process.exit(0);
      });
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

const start = cluster.isPrimary && workerCount() > 1 ? primary(workerCount()) : main();
start.catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
