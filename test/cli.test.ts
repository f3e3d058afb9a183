import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, SEEDS_DIR, tempDir } from './helpers/paths.js';
import { ON_POSTGRES } from './helpers/database.js';

// Runs the built CLI as a user would (npm test builds dist/ first).
function ingest(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/ingest/cli.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run ingest', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ingests the seeds: prints all five documents with their 文号 and counts per category', () => {
    const r = ingest(['--publish', SEEDS_DIR], { KB_DATA_DIR: dir });
    expect(r.code).toBe(0);
    for (const num of ['普府办〔2021〕39号', '沪府办发〔2021〕26号', '沪市监法规〔2022〕8号', '普府办〔2024〕10号', '沪府办发〔2022〕21号']) {
      expect(r.stdout).toContain(num);
    }
    expect(r.stdout).toMatch(/文件合计：新增 5，已更新 0，未变化 0，失败 0/);
    for (const label of ['网上办事指引', '常见问题', '政务百科词条', '政策文件', '通知公告', '热线电话', '部门信息']) {
      expect(r.stdout).toContain(label);
    }
    expect(r.stdout).toMatch(/政策文件\s+5\s+5\s+5/);
    expect(r.stderr).toMatch(/导入 .*5\/5/); // progress for a multi-file run
    expect(fs.existsSync(path.join(dir, 'kb.db'))).toBe(!ON_POSTGRES); // on PostgreSQL the KB is in its schema
  });

  it('a second identical run reports every document unchanged', () => {
    const r = ingest(['--data-dir', dir, '--publish', SEEDS_DIR]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/文件合计：新增 0，已更新 0，未变化 5，失败 0/);
  });

  it('exits non-zero naming a bad file, after ingesting the good ones', () => {
    const other = tempDir();
    const bad = path.join(other, 'broken.pdf');
    fs.writeFileSync(bad, 'not a pdf');
    const r = ingest(['--data-dir', other, bad, path.join(SEEDS_DIR, fs.readdirSync(SEEDS_DIR)[1])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[失败\] broken\.pdf/);
    expect(r.stdout).toMatch(/文件合计：新增 1，.*失败 1/);
    fs.rmSync(other, { recursive: true, force: true });
  });

  it('imports the real FAQ sheet row by row: exit 0, every problem row printed, rejected rows written; --strict refuses it', () => {
    const other = tempDir();
    const faq = path.resolve(REPO_ROOT, '../shared/eval/external-faq/faq.csv');
    const r = ingest(['--publish', faq], { KB_DATA_DIR: other });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\[新增\] faq\.csv/);
    expect(r.stdout).toMatch(/行：共 2081 行，导入 \d+ 行，未导入 \d+ 行，转入查遗补缺 1 行/);
    expect(r.stdout).toContain('[转查遗补缺] 第 544 行“答案”：答案为空');
    expect(r.stdout).toMatch(/\[未导入\] 第 30 行“答案”：与第 4 行问题相同、答案不同/);
    expect(r.stdout).toMatch(/\[已导入\] 第 750 行“问题”：问题有 603 个字符/);
    expect(r.stdout).toMatch(/\[已导入\] 第 1095 行“问题”：与第 32 行问题和答案相同/);
    const rejected = path.join(other, 'reports', 'faq-未导入的行.csv');
    expect(fs.readFileSync(rejected, 'utf8')).toContain('"原行号","未导入原因"');
    expect(r.stderr).toMatch(/写入条目 .*\/\d+/); // progress of a large single sheet

    const strictDir = tempDir();
    const strict = ingest(['--data-dir', strictDir, '--strict', faq]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/\[失败\] faq\.csv: 按 --strict 不导入有问题的表格：第 30 行“答案”/);
    fs.rmSync(other, { recursive: true, force: true });
    fs.rmSync(strictDir, { recursive: true, force: true });
  }, 180_000); // two whole imports of a 2,081-row sheet; on PostgreSQL under the suite's load one took 22 s and more

  it('an unknown or malformed option: exit 2, a Chinese message and the usage, nothing of parseArgs\' English', () => {
    const cases: Array<[string[], string]> = [
      [['--frobnicate', SEEDS_DIR], '不认识的选项：--frobnicate'],
      [['-x', SEEDS_DIR], '不认识的选项：-x'],
      [[SEEDS_DIR, '--data-dir'], '--data-dir 需要一个值'],
      [['--actor', '--publish', SEEDS_DIR], '--actor 需要一个值'],
      [['--publish=yes', SEEDS_DIR], '--publish 不接受值'],
    ];
    for (const [args, message] of cases) {
      const r = ingest(args, { KB_DATA_DIR: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('用法');
      expect(r.stderr).not.toMatch(/Unknown|option|argument|ERR_/i);
      expect(r.stdout).toBe('');
    }
  });

  it('explains its usage when given no path', () => {
    const r = ingest(['--data-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('用法');
  });
});
