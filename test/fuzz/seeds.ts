/** Seed inputs for the fuzzers: bytes of the committed real fixtures, read with independent tools. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AdmZip from 'adm-zip';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixture(relativePath: string): Buffer {
  return readFileSync(`${FIXTURES}${relativePath}`);
}

/** One member of a committed zip fixture, extracted by adm-zip (not by the engine under test). */
export function zipMember(relativePath: string, member: string): Buffer {
  const entry = new AdmZip(`${FIXTURES}${relativePath}`).getEntry(member);
  if (entry === null) throw new Error(`${relativePath} has no member ${member}`);
  return entry.getData();
}
