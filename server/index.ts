/**
 * npm start: opens the knowledge base in KB_DATA_DIR (default kb-data/); an empty one is first filled from the
 * bundled sample documents in kb-data/docs/ (published). Builds the search index, serves on PORT (default 3000),
 * and shuts down gracefully.
 */
import fs from 'node:fs';
import { dataDir, SAMPLE_DOCS_DIR } from './config.js';
import { createApp } from './app.js';
import { createServices, envEmbedderMode } from './services.js';
import { bootstrapAdminToken } from './auth/tokens.js';
import { KnowledgeBase } from './kb/index.js';
import { ingestPaths } from '../ingest/pipeline.js';
import { JobRunner } from './ops/jobs.js';
import { JobScheduler, scheduleConfig } from './ops/scheduler.js';

async function main(): Promise<void> {
  const dir = dataDir();
  const fresh = KnowledgeBase.open(dir);
  if (fresh.entries.list({ limit: 1 }).total === 0 && fs.existsSync(SAMPLE_DOCS_DIR)) {
    console.log(`知识库为空，正在导入并发布示例文档 ${SAMPLE_DOCS_DIR} …`);
    const { results } = await ingestPaths(fresh, [SAMPLE_DOCS_DIR], { publish: true, actor: 'sample-kb' });
    for (const r of results) console.log(`  ${r.status === 'failed' ? '失败' : '导入'} ${r.error ?? r.title}`);
  }
  fresh.close();

  const services = await createServices({ dataDir: dir, embedderMode: envEmbedderMode() });
  bootstrapAdminToken(services.tokens, process.env.KB_ADMIN_TOKEN);
  console.log(`向量模型：${services.embedderNote}`);
  const scheduler = new JobScheduler(new JobRunner(services), scheduleConfig()); // bad KB_CRON_* schedules stop the start here
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '0.0.0.0';
  const server = createApp(services).listen(port, host, () => {
    const st = services.engine.status();
    console.log(`bangban-kb 已启动：http://localhost:${port}  知识库 ${dir}（已发布条目 ${st.entries} 条，向量 ${st.embedder.id}）`);
    scheduler.start();
    console.log(scheduler.config.enabled ? `定时任务（Asia/Shanghai）：${scheduler.config.jobs.map((j) => `${j.name} ${j.schedule}`).join('；') || '全部停用'}` : '定时任务已停用（KB_CRON=off）');
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`收到 ${signal}，停止接收新请求，等待处理中的请求完成…`);
    const jobsStopped = scheduler.stop(); // no new runs; the ones in progress finish before the database closes
    server.close(() => {
      void jobsStopped.finally(() => {
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

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
