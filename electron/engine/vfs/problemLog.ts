import type { Problem } from '../../../shared/model.js';
import { sortByKey } from '../../../shared/sort.js';

/** What a tree left out because it could not be read: the first message per path, listed in path order. */
export class ProblemLog {
  private readonly byPath = new Map<string, string>();

  record(path: string, message: string): void {
    if (!this.byPath.has(path)) this.byPath.set(path, message);
  }

  get problems(): Problem[] {
    return sortByKey(
      [...this.byPath].map(([path, message]) => ({ path, message })),
      (problem) => problem.path,
    );
  }
}
