/** A few Prometheus metrics in text exposition format (no client library needed for this much). */
export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) this.counts[i]++;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket{le="${b}"} ${this.counts[i]}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

export class LabelledCounter {
  private readonly values = new Map<string, number>();

  constructor(readonly name: string, readonly help: string, readonly label: string) {}

  inc(labelValue: string, by = 1): void {
    this.values.set(labelValue, (this.values.get(labelValue) ?? 0) + by);
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of [...this.values].sort()) lines.push(`${this.name}{${this.label}="${k}"} ${v}`);
    return lines.join('\n');
  }
}

export class Metrics {
  readonly answerLatency = new Histogram('bangban_answer_latency_seconds', 'Time to answer a question (search + decision + log).', [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
  ]);
  readonly outcomes = new LabelledCounter('bangban_answers_total', 'Answers by outcome.', 'outcome');

  render(gauges: Record<string, { help: string; value: number }>): string {
    const parts = [this.answerLatency.render(), this.outcomes.render()];
    for (const [name, g] of Object.entries(gauges)) parts.push(`# HELP ${name} ${g.help}\n# TYPE ${name} gauge\n${name} ${g.value}`);
    return parts.join('\n') + '\n';
  }
}
