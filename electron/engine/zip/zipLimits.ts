/**
 * Sanity limits for hostile zips: members whose data overlap (the construction of non-recursive
 * zip bombs, where many central-directory entries reuse one compressed stream) and deflated
 * members that declare more output than deflate can produce from their compressed size.
 */
import { InputError } from '../errors.js';
import type { ZipMember } from './zipArchive.js';

const LOCAL_HEADER_FIXED = 30;
/** Deflate cannot expand by more than about 1032:1 (a 258-byte match in 2 bits, plus block overhead). */
export const MAX_DEFLATE_RATIO = 1032;
/** Slack for tiny members, whose fixed block headers make the ratio meaningless. */
const RATIO_SLACK = 1024;

/**
 * The first pair of members whose local header plus data overlap, judged by the smallest extent
 * each can have (local extra fields may only make it larger), or null.
 */
export function findOverlappingMembers(members: readonly ZipMember[]): [ZipMember, ZipMember] | null {
  const withData = members.filter((member) => !member.isDirectory || member.compressedSize > 0);
  const sorted = [...withData].sort((a, b) => a.entry.relativeOffsetOfLocalHeader - b.entry.relativeOffsetOfLocalHeader);
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1]!;
    const current = sorted[index]!;
    const previousEnd = previous.entry.relativeOffsetOfLocalHeader + LOCAL_HEADER_FIXED + previous.entry.fileNameLength + previous.compressedSize;
    if (previousEnd > current.entry.relativeOffsetOfLocalHeader) return [previous, current];
  }
  return null;
}

export function overlapError(pair: [ZipMember, ZipMember], file: string): InputError {
  const [first, second] = pair;
  return new InputError(`members "${first.name}" and "${second.name}" overlap (a zip bomb construction)`, {
    file,
    format: 'zip',
    offset: second.entry.relativeOffsetOfLocalHeader,
    expected: `each member's data to end before the next local header`,
  });
}

/** Throws when a deflated member declares more bytes than deflate can expand its data to. */
export function checkDeclaredSize(member: ZipMember, file: string): void {
  if (member.compressionMethod !== 8) return;
  const most = member.compressedSize * MAX_DEFLATE_RATIO + RATIO_SLACK;
  if (member.uncompressedSize > most) {
    throw new InputError(`declares ${member.uncompressedSize} bytes from ${member.compressedSize} compressed, more than deflate can produce (a decompression bomb?)`, {
      file,
      format: `zip › ${member.name}`,
      offset: member.entry.relativeOffsetOfLocalHeader,
      expected: `at most ${most} bytes`,
    });
  }
}
