import cluster from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The figures read from the knowledge base when metrics are collected (the app supplies them, see createApp). */
export interface MetricFigures {
  indexEntries: number;
  kbVersion: number;
  gapsOpen: number;
  gapsOverdue: number;
  asksOverClientLimit: number;
  jobRuns: Array<{ job: string; status: string; n: number }>;
}

const ASK_PRIMARY = 'bangban:metrics-req';
const PRIMARY_REPLY = 'bangban:metrics-res';

/** A registry that runs `beforeCollect` once per collection (a scrape here, or the cluster primary's request in a worker). */
class ScrapeRegistry extends Registry {
  constructor(private readonly beforeCollect: () => void) {
    super();
  }

  override metrics(): Promise<string> {
    this.beforeCollect();
    return super.metrics();
  }

  override getMetricsAsJSON(): ReturnType<Registry['getMetricsAsJSON']> {
    this.beforeCollect();
    return super.getMetricsAsJSON();
  }
}

/**
 * The service's Prometheus metrics (prom-client), one registry per Services. With KB_WORKERS > 1 every worker
 * keeps its own counts; a scrape reaching any worker asks the primary, whose AggregatorRegistry collects all
 * workers' registries and sums them (the knowledge-base figures, the same in every worker, are taken once).
 * The knowledge-base figures are read once per collection, before the metrics' collect() calls, which share them.
 */
export class Metrics {
  readonly registry: Registry = new ScrapeRegistry(() => {
    this.figures = this.source ? this.source() : null;
  });
  private source: (() => MetricFigures) | null = null;
  /** The figures of the collection under way (read by every collect()). */
  private figures: MetricFigures | null = null;
  private clustered = false;

  readonly answerLatency = new Histogram({
    name: 'bangban_answer_latency_seconds',
    help: 'Time to answer a question (search + decision + log).',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  /** Answers by outcome: `answers.inc({ outcome: 'answered' })`. */
  readonly answers = new Counter({ name: 'bangban_answers_total', help: 'Answers by outcome.', labelNames: ['outcome'], registers: [this.registry] });

  constructor() {
    const figures = () => this.figures;
    // Knowledge-base figures: identical in every worker (one database), so the cluster total takes one, not the sum.
    const kbGauge = (name: string, help: string, pick: (f: MetricFigures) => number) =>
      new Gauge({
        name, help, aggregator: 'max', registers: [this.registry],
        collect() {
          const f = figures();
          if (f) this.set(pick(f));
        },
      });
    kbGauge('bangban_index_entries', 'Published entries in the search index.', (f) => f.indexEntries);
    kbGauge('bangban_kb_version', 'Knowledge-base version (writes so far).', (f) => f.kbVersion);
    kbGauge('bangban_gaps_open', 'Open gaps (unanswered questions waiting for a KB answer).', (f) => f.gapsOpen);
    kbGauge('bangban_gaps_overdue', 'Open gaps past their 5-working-day due date.', (f) => f.gapsOverdue);
    // Counted in each process's memory since it started: the cluster figure is the sum.
    new Counter({
      name: 'bangban_gap_asks_over_client_limit_total',
      help: 'Unanswered asks that opened no gap: their client had opened its daily share (since start).',
      registers: [this.registry],
      collect() {
        const f = figures();
        if (!f) return;
        this.reset();
        this.inc(f.asksOverClientLimit);
      },
    });
    new Counter({
      name: 'bangban_job_runs_total',
      help: 'Scheduled and manual job runs by job and status.',
      labelNames: ['job', 'status'],
      aggregator: 'max', // read from the job_runs table, the same in every worker
      registers: [this.registry],
      collect() {
        const f = figures();
        if (!f) return;
        this.reset();
        for (const r of f.jobRuns) this.inc({ job: r.job, status: r.status }, r.n);
      },
    });
  }

  /** Where the knowledge-base figures come from when metrics are collected (set by the app serving /metrics). */
  setSource(source: () => MetricFigures): void {
    this.source = source;
  }

  /**
   * In a cluster worker: answer the primary's collection requests from this registry, and serve /metrics from the
   * primary's aggregate of all workers.
   */
  joinCluster(): void {
    if (!cluster.isWorker) return;
    AggregatorRegistry.setRegistries([this.registry]);
    new AggregatorRegistry(); // adds the worker's listener for the primary's requests
    this.clustered = true;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition: this process's metrics, or with joinCluster() the whole cluster's. */
  async text(): Promise<string> {
    if (!this.clustered) return this.registry.metrics();
    return askPrimary();
  }
}

let asked = 0;
const waiting = new Map<number, (err: Error | null, text?: string) => void>();

/** Asks the primary for the cluster's metrics over the worker's IPC channel. */
function askPrimary(): Promise<string> {
  if (waiting.size === 0) process.on('message', onPrimaryReply);
  const id = ++asked;
  return new Promise<string>((resolve, reject) => {
    const done = (err: Error | null, text = '') => {
      if (!waiting.delete(id)) return;
      clearTimeout(timer);
      if (waiting.size === 0) process.off('message', onPrimaryReply);
      if (err) reject(err);
      else resolve(text);
    };
    const timer = setTimeout(() => done(new Error('汇总各工作进程的指标超时')), 10_000);
    waiting.set(id, done);
    process.send!({ type: ASK_PRIMARY, id });
  });
}

function onPrimaryReply(message: unknown): void {
  const m = message as { type?: string; id?: number; text?: string; error?: string };
  if (m?.type !== PRIMARY_REPLY || m.id === undefined) return;
  waiting.get(m.id)?.(m.error !== undefined ? new Error(m.error) : null, m.text);
}

/** In the cluster primary: aggregates the workers' registries when a worker is scraped (prom-client's AggregatorRegistry). */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== ASK_PRIMARY) return;
    aggregator.clusterMetrics().then(
      (text) => worker.isConnected() && worker.send({ type: PRIMARY_REPLY, id: message.id, text }),
      (err: Error) => worker.isConnected() && worker.send({ type: PRIMARY_REPLY, id: message.id, error: err.message }),
    );
  });
}
