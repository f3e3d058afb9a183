import type { KnowledgeBase } from '../kb/index.js';
import { PostgresDb } from '../kb/postgres/postgres-db.js';
import { KbChangeListener } from '../kb/postgres/change-listener.js';
import type { SearchEngine } from './engine.js';

/** What /healthz says of a replica following a shared PostgreSQL KB. */
export interface ReplicaStatus {
  listening: boolean;
  /** KB versions the index is behind, and for how long (0 when it has caught up). */
  behindVersions: number;
  behindMs: number;
  /** How long the last catch-up took, from the first notification the index was behind to the end of its sync. */
  lastCatchUpMs: number | null;
  lastNotificationAt: string | null;
}

/**
 * Keeps one replica's search indexes in step with a KB that other replicas write: a change notification
 * (KbChangeListener) makes the KB forget its remembered version and the engine sync at once, so the next
 * question is already answered from the new entries. Without notifications (listener down) every search still
 * compares versions itself (SearchEngine.sync), only a little later.
 */
export class ReplicaFollower {
  private readonly listener: KbChangeListener;
  private behindSince: number | null = null;
  private lastCatchUpMs: number | null = null;
  private stopped = false;

  constructor(private readonly kb: KnowledgeBase, private readonly engine: SearchEngine, db: PostgresDb, log: (message: string) => void = console.error) {
    this.listener = new KbChangeListener(db.url, db.schema, () => this.onChange(), log);
    kb.followChanges(this.listener);
  }

  /** A follower for a PostgreSQL KB; null for SQLite (one machine's processes compare versions on each search). */
  static for(kb: KnowledgeBase, engine: SearchEngine): ReplicaFollower | null {
    return kb.db instanceof PostgresDb ? new ReplicaFollower(kb, engine, kb.db) : null;
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  private onChange(): void {
    if (this.stopped || !this.kb.db.open) return; // a notification that arrived while the services were closing
    this.kb.changed();
    this.behindSince ??= performance.now();
    Promise.resolve()
      .then(() => this.engine.sync())
      .then(() => {
        // the sync read the version after the notified commit: the index has caught up with it
        if (this.behindSince !== null) {
          this.lastCatchUpMs = Math.round(performance.now() - this.behindSince);
          this.behindSince = null;
        }
      })
      .catch((err) => console.error(`同步检索索引失败：${err instanceof Error ? err.message : err}`));
  }

  status(kbVersion: number): ReplicaStatus {
    const behind = Math.max(0, kbVersion - this.engine.status().kbVersion);
    return {
      listening: this.listener.listening(),
      behindVersions: behind,
      behindMs: behind && this.behindSince !== null ? Math.round(performance.now() - this.behindSince) : 0,
      lastCatchUpMs: this.lastCatchUpMs,
      lastNotificationAt: this.listener.lastNotificationAt?.toISOString() ?? null,
    };
  }

  stop(): Promise<void> {
    this.stopped = true;
    return this.listener.stop();
  }
}
