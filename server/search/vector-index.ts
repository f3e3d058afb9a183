import fs from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;

interface VectorStamp {
  embedderId: string;
  dimensions: number;
  kbVersion: number;
  /** Points in the binary index, deleted ones included: a mismatch means the pair of files is torn. */
  count: number;
  versions: Record<string, number>;
}

/**
 * The HNSW vector index (hnswlib, cosine), one point per entry, label = entry id. Persisted as index/hnsw.bin
 * and index/hnsw.json (the stamp: embedder id, dimensions, KB version, entry versions).
 */
export class VectorIndex {
  private index: InstanceType<typeof HierarchicalNSW>;
  private capacity = 0;
  readonly versions = new Map<number, number>();
  /** A copy of every live vector: re-scoring lexical candidates must not pay for hnswlib's getPoint. */
  private readonly vectors = new Map<number, Float32Array>();
  kbVersion = -1;
  private dirty = false;

  constructor(private readonly dir: string, readonly embedderId: string, readonly dimensions: number) {
    this.index = this.fresh(1024);
  }

  private fresh(capacity: number) {
    const index = new HierarchicalNSW('cosine', this.dimensions);
    index.initIndex(capacity, 16, 200, 42);
    index.setEf(64);
    this.capacity = capacity;
    this.versions.clear();
    this.vectors.clear();
    return index;
  }

  private get binFile() { return path.join(this.dir, 'hnsw.bin'); }
  private get stampFile() { return path.join(this.dir, 'hnsw.json'); }

  /** Loads the saved index when its stamp matches this embedder; false when it must be rebuilt. */
  load(): boolean {
    try {
      if (!fs.existsSync(this.binFile) || !fs.existsSync(this.stampFile)) return false;
      const stamp = JSON.parse(fs.readFileSync(this.stampFile, 'utf8')) as VectorStamp;
      if (stamp.embedderId !== this.embedderId || stamp.dimensions !== this.dimensions) return false;
      const index = new HierarchicalNSW('cosine', this.dimensions);
      index.readIndexSync(this.binFile);
      if (index.getCurrentCount() !== stamp.count) return false;
      index.setEf(64);
      this.index = index;
      this.capacity = index.getMaxElements();
      this.versions.clear();
      this.vectors.clear();
      for (const [id, v] of Object.entries(stamp.versions)) {
        this.versions.set(Number(id), v);
        this.vectors.set(Number(id), Float32Array.from(index.getPoint(Number(id))));
      }
      this.kbVersion = stamp.kbVersion;
      return true;
    } catch {
      return false; // unreadable or torn files: rebuild from the KB
    }
  }

  reset(): void {
    this.index = this.fresh(1024);
    this.kbVersion = -1;
    this.dirty = true;
  }

  upsert(id: number, version: number, vector: Float32Array): void {
    if (this.index.getCurrentCount() >= this.capacity) {
      this.capacity *= 2;
      this.index.resizeIndex(this.capacity);
    }
    this.index.addPoint(Array.from(vector), id); // an existing label is updated (and undeleted)
    this.versions.set(id, version);
    this.vectors.set(id, vector);
    this.dirty = true;
  }

  remove(id: number): void {
    if (!this.versions.has(id)) return;
    try {
      this.index.markDelete(id);
    } catch {
      /* already deleted */
    }
    this.versions.delete(id);
    this.vectors.delete(id);
    this.dirty = true;
  }

  get size(): number {
    return this.versions.size;
  }

  /** Nearest entries by cosine similarity (1 - distance), optionally only those the filter accepts. */
  search(vector: Float32Array, k: number, filter?: (id: number) => boolean): Array<{ id: number; cosine: number }> {
    const n = Math.min(k, this.versions.size);
    if (n === 0) return [];
    const res = filter ? this.index.searchKnn(Array.from(vector), n, filter) : this.index.searchKnn(Array.from(vector), n);
    return res.neighbors.map((id: number, i: number) => ({ id, cosine: 1 - res.distances[i] }));
  }

  vector(id: number): Float32Array | null {
    return this.vectors.get(id) ?? null;
  }

  /** Writes both files atomically (temp + rename), the stamp last. */
  save(kbVersion: number): void {
    if (!this.dirty && kbVersion === this.kbVersion) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const tmpBin = `${this.binFile}.${process.pid}.tmp`; // several server processes may save at once
    this.index.writeIndexSync(tmpBin);
    const stamp: VectorStamp = {
      embedderId: this.embedderId,
      dimensions: this.dimensions,
      kbVersion,
      count: this.index.getCurrentCount(),
      versions: Object.fromEntries(this.versions),
    };
    const tmpStamp = `${this.stampFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmpStamp, JSON.stringify(stamp));
    fs.renameSync(tmpBin, this.binFile);
    fs.renameSync(tmpStamp, this.stampFile);
    this.kbVersion = kbVersion;
    this.dirty = false;
  }
}
