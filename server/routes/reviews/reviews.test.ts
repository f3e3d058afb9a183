import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import request from 'supertest';
import { createApp } from '../../app.js';
import type { EntryInput } from '../../kb/validate.js';
import { servicesFor } from '../../../test/helpers/services.js';

/** The review routes (POST /api/v1/admin/reviews/:entryId); the half-yearly review itself is test/review.test.ts. */

const ENTRY = (n: number): EntryInput => ({ category: 'faq', question: `示例问题第${n}号怎么办理？`, answer: `示例答复第${n}号：在“一网通办”在线办理。` });

describe('批准修改并确认', () => {
  let s: Awaited<ReturnType<typeof servicesFor>>;
  let app: ReturnType<typeof createApp>;
  let editor: { Authorization: string };
  let reviewer: { Authorization: string };
  let id: number;

  beforeEach(async () => {
    s = await servicesFor();
    app = createApp(s);
    editor = { Authorization: `Bearer ${s.tokens.create('张编辑', 'editor', 'test').token}` };
    reviewer = { Authorization: `Bearer ${s.tokens.create('李审核', 'reviewer', 'test').token}` };
    id = s.kb.entries.publish(s.kb.entries.create(ENTRY(1), 'test').id, 'test').id;
    s.kb.entries.flagForReview(id, '来源文件已更新', 'test');
    await s.engine.sync();
  });
  afterEach(() => s.cleanup());

  it('approves the change and counts the entry as reviewed in one step, or does neither', async () => {
    // nothing waits for approval: refused, and the entry stays due for review
    const v = s.kb.entries.require(id).version;
    await request(app).post(`/api/v1/admin/reviews/${id}`).set(reviewer).send({ action: 'confirm', approvePending: true, note: '已核对', version: v }).expect(409);
    expect(s.kb.entries.require(id).reviewDue).toBe(true);

    await request(app).patch(`/api/v1/admin/entries/${id}`).set(editor).send({ answer: '示例答复第1号：改为窗口办理。', version: v }).expect(200);
    const pending = s.kb.entries.require(id).version;
    await request(app).post(`/api/v1/admin/reviews/${id}`).set(reviewer).send({ action: 'confirm', approvePending: true, note: '已核对', version: pending }).expect(201);
    expect(s.kb.entries.require(id)).toMatchObject({ answer: '示例答复第1号：改为窗口办理。', reviewDue: false });
    expect(s.kb.revisions.pending(id)).toBeNull();
  });
});
