import fs from 'node:fs';
import path from 'node:path';
import { KnowledgeBase } from './kb/index.js';
import { ReplicaFollower } from './search/replica.js';
import { systemClock, type KbClock } from './kb/clock.js';
import type { KbLocation } from './kb/db.js';
import { SearchEngine } from './search/engine.js';
import { Tokenizer } from './search/tokenizer.js';
import { buildSynonyms, tokenizerWords } from './search/lexicon.js';
import { loadEmbedder, type EmbedderMode } from './search/embedder.js';
import { AnswerService } from './answer/service.js';
import { WorkingCalendar, shanghaiDate } from './ops/calendar.js';
import { TokenStore } from './auth/tokens.js';
import { Metrics } from './metrics.js';
import { AuditLog } from './kb/audit-log.js';
import { GapService } from './ops/gaps.js';
import { ReviewService } from './ops/review.js';
import { PolicyWatch } from './ops/policy-watch.js';
import { REPO_ROOT } from './config.js';
import { loadConfidenceModel, type ConfidenceModel } from './search/confidence.js';
import type { RankingOptions } from './search/ranking.js';

export interface ServiceOptions {
  dataDir: string;
  embedderMode?: EmbedderMode;
  /** Default `${dataDir}/models` (KB_MODEL_DIR). */
  modelDir?: string;
  clock?: KbClock;
  /** The decision's confidence model; default: the calibration file's model for the embedder in use. */
  confidence?: ConfidenceModel | null;
  /** Ranking knobs (default DEFAULT_RANKING). */
  ranking?: RankingOptions;
  /** New gaps one client may open per day (default KB_GAP_DAILY_LIMIT, else 30). */
  newGapsPerClientPerDay?: number;
  /** Where the KB lives (default: kbLocation of dataDir, i.e. KB_DATABASE_URL or dataDir/kb.db). */
  location?: KbLocation;
}

/** The calibration file: the data directory's own, else the one the repository ships. */
export function calibrationFile(dataDir: string): string {
  return [path.join(dataDir, 'calibration.json'), path.join(REPO_ROOT, 'kb-data', 'calibration.json')].find((f) => fs.existsSync(f)) ?? path.join(REPO_ROOT, 'kb-data', 'calibration.json');
}

/** Everything the HTTP app and the scripts need, wired from one data directory. */
export interface Services {
  dataDir: string;
  kb: KnowledgeBase;
  engine: SearchEngine;
  answers: AnswerService;
  tokens: TokenStore;
  audit: AuditLog;
  calendar: WorkingCalendar;
  gaps: GapService;
  reviews: ReviewService;
  policyWatch: PolicyWatch;
  metrics: Metrics;
  /** On a PostgreSQL KB: follows other replicas' writes (null on SQLite). */
  replica: ReplicaFollower | null;
  /** Which embedder is live and why (start-up log: names the model directory). */
  embedderNote: string;
  /** The same for /healthz: Chinese, no path of this machine. */
  embedderPublicNote: string;
  close(): void;
}

export function envEmbedderMode(): EmbedderMode {
  const mode = (process.env.KB_EMBEDDER ?? 'auto').toLowerCase();
  if (mode !== 'auto' && mode !== 'transformers' && mode !== 'builtin') {
    throw new Error(`KB_EMBEDDER=${mode} 无效：应为 auto、transformers 或 builtin`);
  }
  return mode;
}

export async function createServices(opts: ServiceOptions): Promise<Services> {
  const clock = opts.clock ?? systemClock;
  const kb = KnowledgeBase.open(opts.dataDir, clock, opts.location);
  try {
    kb.checkpointInBackground();
    const tokenizer = new Tokenizer(tokenizerWords(opts.dataDir, kb.lexiconEdits));
    const synonyms = buildSynonyms(opts.dataDir, kb.lexiconEdits);
    const { embedder, note, publicNote } = await loadEmbedder({
      mode: opts.embedderMode ?? 'auto',
      modelDir: opts.modelDir ?? process.env.KB_MODEL_DIR ?? path.join(opts.dataDir, 'models'),
      tokenize: (t) => tokenizer.words(t),
      tokenizerId: 'jieba',
    });
    const calendar = WorkingCalendar.fromFile(
      [path.join(opts.dataDir, 'calendar-overrides.json'), path.join(REPO_ROOT, 'kb-data', 'calendar-overrides.json')].find((f) => fs.existsSync(f)) ?? '',
    );
    const engine = new SearchEngine(kb, embedder, tokenizer, synonyms, path.join(opts.dataDir, 'index'), () => shanghaiDate(clock.now()), opts.ranking);
    engine.followLexicon(() => ({ tokenizer: new Tokenizer(tokenizerWords(opts.dataDir, kb.lexiconEdits)), synonyms: buildSynonyms(opts.dataDir, kb.lexiconEdits) }));
    engine.confidence = opts.confidence !== undefined ? opts.confidence : loadConfidenceModel(calibrationFile(opts.dataDir), embedder.kind);
    await engine.open();
    const replica = ReplicaFollower.for(kb, engine);
    await replica?.start();
    const answers = new AnswerService(kb, engine, calendar);
    await answers.warmUp();
    const tokens = new TokenStore(kb.db, clock);
    const gaps = new GapService(kb, engine, calendar, { newGapsPerClientPerDay: opts.newGapsPerClientPerDay });
    answers.setGapQueue(gaps);
    const reviews = new ReviewService(kb);
    const policyWatch = new PolicyWatch(kb, calendar);
    return {
      dataDir: opts.dataDir, kb, engine, answers, tokens, audit: kb.audit, calendar, gaps, reviews, policyWatch, metrics: new Metrics(), replica, embedderNote: note, embedderPublicNote: publicNote,
      close() {
        answers.stop(); // asks not yet gathered into the gap queue are dropped (the server awaits settled() first)
        void replica?.stop();
        engine.close();
        kb.close();
      },
    };
  } catch (err) {
    kb.close();
    throw err;
  }
}
