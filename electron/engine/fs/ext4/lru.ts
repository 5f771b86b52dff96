/**
 * A small least-recently-used cache of promises: concurrent loads of the same key share one read,
 * and a failed load is forgotten so that a later call can try again (and report the error again).
 */
export class PromiseLru<K, V> {
  /** Insertion order is recency order: the first key is the least recently used. */
  private readonly entries = new Map<K, Promise<V>>();

  constructor(private readonly capacity: number) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const loading = load();
    this.entries.set(key, loading);
    loading.catch(() => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
    });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return loading;
  }

  clear(): void {
    this.entries.clear();
  }
}
