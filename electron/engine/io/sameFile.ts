import { stat } from 'node:fs/promises';

/** Whether two paths name the same file on disk, through symlinks and hard links alike. */
export async function isSameFile(a: string, b: string): Promise<boolean> {
  const [first, second] = await Promise.all([stat(a).catch(() => null), stat(b).catch(() => null)]);
  return first !== null && second !== null && first.dev === second.dev && first.ino === second.ino;
}
