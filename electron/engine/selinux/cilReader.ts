import { InputError } from '../errors.js';

/** One S-expression of a CIL file: a list or an atom (a symbol or a quoted string), with the line it starts on. */
export type CilNode = { kind: 'list'; items: CilNode[]; line: number } | { kind: 'atom'; value: string; line: number; quoted: boolean };

/** CIL nesting in compiled policies is a few levels deep; far more is no policy. */
const MAX_DEPTH = 64;

/**
 * Reads a CIL file (SELinux Common Intermediate Language, as Android ships its policy in
 * `/system/etc/selinux/plat_sepolicy.cil` and beside it): parenthesised lists of symbols,
 * `"quoted strings"`, `;` comments to the end of the line. Returns the top-level statements.
 * Unbalanced parentheses, an unclosed string or absurd nesting are an InputError naming the file,
 * the offset and the line, as secilc would refuse the file.
 */
export function readCil(text: string, file: string): CilNode[] {
  const statements: CilNode[] = [];
  const stack: { items: CilNode[]; line: number; offset: number }[] = [];
  let line = 1;
  let at = 0;
  const fail = (problem: string, offset: number, expected: string, atLine = line): InputError => new InputError(`line ${atLine}: ${problem}`, { file, format: 'SELinux CIL', offset, expected });
  const add = (node: CilNode): void => {
    const open = stack.at(-1);
    if (open === undefined) statements.push(node);
    else open.items.push(node);
  };
  while (at < text.length) {
    const char = text.charCodeAt(at);
    if (char === 0x0a) {
      line += 1;
      at += 1;
    } else if (char === 0x20 || char === 0x09 || char === 0x0d) {
      at += 1;
    } else if (char === 0x3b /* ; */) {
      const end = text.indexOf('\n', at);
      at = end === -1 ? text.length : end;
    } else if (char === 0x28 /* ( */) {
      if (stack.length >= MAX_DEPTH) throw fail(`lists nested more than ${MAX_DEPTH} deep`, at, 'a policy statement');
      stack.push({ items: [], line, offset: at });
      at += 1;
    } else if (char === 0x29 /* ) */) {
      const open = stack.pop();
      if (open === undefined) throw fail('a ) closes no (', at, 'balanced parentheses');
      add({ kind: 'list', items: open.items, line: open.line });
      at += 1;
    } else if (char === 0x22 /* " */) {
      const end = text.indexOf('"', at + 1);
      if (end === -1) throw fail('string is not closed', at, 'a closing "');
      const value = text.slice(at + 1, end);
      add({ kind: 'atom', value, line, quoted: true });
      line += countNewlines(value);
      at = end + 1;
    } else {
      const start = at;
      while (at < text.length && !isDelimiter(text.charCodeAt(at))) at += 1;
      add({ kind: 'atom', value: text.slice(start, at), line, quoted: false });
    }
  }
  const unclosed = stack.at(-1);
  if (unclosed !== undefined) throw fail('a ( is never closed', unclosed.offset, 'balanced parentheses', unclosed.line);
  return statements;
}

function isDelimiter(char: number): boolean {
  return char === 0x20 || char === 0x09 || char === 0x0a || char === 0x0d || char === 0x28 || char === 0x29 || char === 0x3b || char === 0x22;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}
