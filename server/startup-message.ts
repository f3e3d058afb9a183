/**
 * What `npm start` prints once the server listens: where the demo page and the admin page are, how to get a token
 * for the admin page, which knowledge base and embedder it uses — short lines, in Chinese.
 */
export interface StartupFacts {
  port: number;
  dataDir: string;
  publishedEntries: number;
  embedderNote: string;
  /** KB_ADMIN_TOKEN was set: an admin token exists already. */
  adminTokenFromEnv: boolean;
  /** The scheduled jobs line (or that they are off). */
  jobs: string;
}

export function startupMessage(f: StartupFacts): string[] {
  const base = `http://localhost:${f.port}`;
  return [
    'bangban-kb 已启动',
    `  演示页（聊天组件）：${base}/`,
    `  管理页：${base}/admin`,
    f.adminTokenFromEnv
      ? '  管理页令牌：KB_ADMIN_TOKEN 的值即管理员令牌'
      : '  管理页令牌：另开终端运行',
    ...(f.adminTokenFromEnv ? [] : ['    npm run token -- create --role admin --name 您的姓名', '  （或启动前设置 KB_ADMIN_TOKEN，至少 16 个字符）']),
    `  知识库：${f.dataDir}（已发布条目 ${f.publishedEntries} 条）`,
    `  向量：${f.embedderNote}`,
    `  定时任务：${f.jobs}`,
  ];
}
