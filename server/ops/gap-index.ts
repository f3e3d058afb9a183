import type { GapStore } from '../kb/gaps.js';
import type { QuestionFeatures, QuestionFeaturizer } from './gap-similarity.js';

/** Above this many concepts, subsets of a question's concepts are not enumerated (2^10 lookups at most). */
const MAX_SUBSET_CONCEPTS = 10;

/**
 * Which open gaps a new unanswered question could belong to, without comparing it with every open gap.
 *
 * Two questions are one gap (gap-similarity.ts) only when they have the same compact text, or when the concepts of
 * one include all the concepts of the other (otherwise their lexical overlap counts as none and the cosine alone,
 * weight 0.3, cannot reach the threshold). So the candidates are the gaps with a question of the same text, with a
 * question whose concepts include all of the new one's (the intersection of per-concept lists, walked from the
 * shortest), or with a question whose concept set is a subset of the new one's (looked up set by set). The caller
 * compares the new question with those gaps' questions exactly as before; the answer is the same, the work no
 * longer grows with the length of the queue.
 *
 * Kept in memory and brought up to date before each lookup from the gap_questions rows added since (by this process
 * or another one): their ids are never reused (migration 9), so the highest id given so far only grows — an ask
 * leaving its gap (a citizen picked a suggestion) neither hides a later one nor forces a rebuild. An ask that left
 * stays in the lists until its gap is no longer open: the lists only ever name too many candidates, never too few. Concepts depend on the dictionary, synonyms and corpus: when the featurizer's state changes the
 * index is rebuilt. Gaps filled, dismissed or merged away are dropped when a lookup meets them; the clustering job
 * (which moves questions between gaps) calls reset(). Questions moved by another process's clustering run are found
 * again at the next rebuild, and a duplicate gap opened meanwhile is merged by the next clustering run.
 */
export class OpenGapIndex {
  private byText = new Map<string, Set<number>>();
  private byConcept = new Map<string, Set<number>>();
  private bySet = new Map<string, Set<number>>();
  /** Per gap: the distinct question texts indexed, and the list entries they made (to take them out again). */
  private gaps = new Map<number, { texts: Set<string>; keys: Array<[Map<string, Set<number>>, string]> }>();
  private lastId = 0;
  private stamp: string | null = null;
  private syncing: Promise<void> | null = null;

  constructor(private readonly gapStore: GapStore, private readonly featurizer: QuestionFeaturizer) {}

  /** Forget everything: the next lookup rebuilds from the database. */
  reset(): void {
    this.byText.clear();
    this.byConcept.clear();
    this.bySet.clear();
    this.gaps.clear();
    this.lastId = 0;
    this.stamp = null;
  }

  /** Open gaps that may hold a question similar enough to `own` (a superset of those that do). */
  async candidates(own: QuestionFeatures): Promise<number[]> {
    await this.sync();
    const found = new Set<number>(this.byText.get(own.key) ?? []);
    const concepts = [...own.concepts];
    if (concepts.length) {
      // questions that have every concept of this one
      const lists = concepts.map((c) => this.byConcept.get(c) ?? new Set<number>()).sort((a, b) => a.size - b.size);
      for (const id of lists[0]) if (lists.every((l) => l.has(id))) found.add(id);
      // questions all of whose concepts this one has
      if (concepts.length <= MAX_SUBSET_CONCEPTS) {
        const sorted = concepts.sort();
        for (let mask = 1; mask < 1 << sorted.length; mask++) {
          const key = sorted.filter((_, i) => mask & (1 << i)).join('\u0001');
          for (const id of this.bySet.get(key) ?? []) found.add(id);
        }
      } else {
        // a very long question: every gap sharing a concept (rare, still exact)
        for (const c of concepts) for (const id of this.byConcept.get(c) ?? []) found.add(id);
      }
    }
    if (!found.size) return [];
    const ids = [...found];
    const open = new Set(this.gapStore.openAmong(ids));
    for (const id of ids) if (!open.has(id)) this.drop(id);
    return ids.filter((id) => open.has(id)).sort((a, b) => a - b);
  }

  /** Brings the index up to date (one sync at a time; concurrent callers wait for it). */
  private async sync(): Promise<void> {
    while (this.syncing) await this.syncing;
    this.syncing = this.catchUp().finally(() => (this.syncing = null));
    await this.syncing;
  }

  private async catchUp(): Promise<void> {
    const stamp = this.featurizer.stateStamp();
    const max = this.gapStore.lastQuestionId();
    if (stamp !== this.stamp || max < this.lastId) { // (a lower id: the database was replaced)
      this.reset();
      this.stamp = stamp;
    }
    if (max === this.lastId) return;
    const rows = this.gapStore.openQuestionsBetween(this.lastId, max);
    this.lastId = max;
    const fresh = rows.filter((r) => !this.gaps.get(r.gapId)?.texts.has(r.question));
    if (!fresh.length) return;
    const features = await this.featurizer.featuresOf(fresh.map((r) => r.question));
    for (const r of fresh) this.add(r.gapId, r.question, features.get(r.question)!);
  }

  private add(gapId: number, question: string, f: QuestionFeatures): void {
    let gap = this.gaps.get(gapId);
    if (!gap) this.gaps.set(gapId, (gap = { texts: new Set(), keys: [] }));
    if (gap.texts.has(question)) return;
    gap.texts.add(question);
    const put = (map: Map<string, Set<number>>, key: string) => {
      let ids = map.get(key);
      if (!ids) map.set(key, (ids = new Set()));
      ids.add(gapId);
      gap.keys.push([map, key]);
    };
    if (f.key) put(this.byText, f.key);
    for (const c of f.concepts) put(this.byConcept, c);
    if (f.concepts.size) put(this.bySet, [...f.concepts].sort().join('\u0001'));
  }

  /** A gap no longer open: its questions leave the lists. */
  private drop(gapId: number): void {
    const gap = this.gaps.get(gapId);
    if (!gap) return;
    this.gaps.delete(gapId);
    for (const [map, key] of gap.keys) {
      const ids = map.get(key);
      if (ids?.delete(gapId) && !ids.size) map.delete(key);
    }
  }
}
