/** Where the KB gets "now" from: the real clock, or a fixed instant for tests and replays (--now). */
export interface KbClock {
  now(): Date;
  nowIso(): string;
}

export const systemClock: KbClock = {
  now: () => new Date(),
  nowIso: () => new Date().toISOString(),
};

export function fixedClock(at: Date | string): KbClock {
  const d = new Date(at);
  return { now: () => new Date(d), nowIso: () => d.toISOString() };
}
