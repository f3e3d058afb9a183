import type { KbClock } from '../../server/kb/clock.js';

/** A clock a test moves, so that writes, asks and jobs happen at chosen instants. */
export class SteppingClock implements KbClock {
  private instant: Date;

  constructor(start = '1970-01-01T00:00:00Z') {
    this.instant = new Date(start);
  }

  /** Moves to an ISO instant. */
  set(iso: string): Date {
    this.instant = new Date(iso);
    return this.now();
  }

  /** Moves to a Shanghai local time, e.g. "2026-07-01T09:00:00". */
  at(shanghai: string): Date {
    return this.set(`${shanghai}+08:00`);
  }

  now(): Date {
    return new Date(this.instant);
  }

  nowIso(): string {
    return this.instant.toISOString();
  }
}
