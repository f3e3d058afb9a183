/** A one-line progress bar on stderr for long CLI work; plain lines when stderr is not a terminal. */
export class ProgressBar {
  private lastLine = '';
  private readonly tty = Boolean(process.stderr.isTTY);
  private readonly started = Date.now();

  constructor(private readonly label: string, private readonly total: number, private readonly width = 28) {}

  update(done: number, detail = ''): void {
    const ratio = this.total ? Math.min(done / this.total, 1) : 1;
    const filled = Math.round(ratio * this.width);
    const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
    const secs = ((Date.now() - this.started) / 1000).toFixed(1);
    const line = `${this.label} ${bar} ${done}/${this.total} ${secs}s ${detail}`.trimEnd();
    if (this.tty) process.stderr.write(`\r\x1b[2K${line}`);
    else if (line !== this.lastLine) process.stderr.write(`${line}\n`);
    this.lastLine = line;
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
