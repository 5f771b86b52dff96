import type { InitService } from '../../../shared/inventory.js';

/**
 * Android init `.rc` files (system/core/init README.md; tokenizer.cpp and parser.cpp for the
 * details): a file is a sequence of sections, each starting with a line whose first word is
 * `service`, `on` or `import`; the lines up to the next section belong to it. Only `service` sections
 * are returned:
 *
 *     service <name> <pathname> [ <argument> ]*
 *         <option>
 *
 * Tokens are split at blanks; `#` at the start of a token comments out the rest of the line; `"…"`
 * quotes blanks (no escapes inside quotes); outside quotes `\n` `\r` `\t` `\\` are escapes, any other
 * `\x` is `x`, and a backslash at the end of a line continues the token on the next line (leading
 * blanks there are dropped). A quote left open swallows the rest of the file, as in init.
 * A `service` line with fewer than three words is rejected by init, and so are its option lines.
 * Each service's `line` is the 1-based line where its `service` word stands.
 */
export function parseInitRc(text: string, file: string): InitService[] {
  const services: InitService[] = [];
  let current: InitService | undefined;
  for (const { words, line } of tokenizeRc(text)) {
    const keyword = words[0];
    if (keyword === 'service' || keyword === 'on' || keyword === 'import') {
      current = undefined;
      if (keyword === 'service' && words.length >= 3) {
        current = { name: words[1] as string, command: joinWords(words.slice(2)), options: [], file, line };
        services.push(current);
      }
    } else if (current !== undefined) {
      current.options.push(joinWords(words));
    }
  }
  return services;
}

/** One logical line of an .rc file: its words and the line its first word starts on. */
export interface RcLine {
  words: string[];
  line: number;
}

/** Splits an .rc file into logical lines of words with init's tokenizer rules (see parseInitRc). */
export function tokenizeRc(text: string): RcLine[] {
  // init appends a newline to the file and reads it as a C string, so a NUL ends it early, and
  // words still pending at the end (after a NUL, or a backslash on the last line) are dropped.
  const nul = text.indexOf('\0');
  const source = nul === -1 ? `${text}\n` : text.slice(0, nul);
  const lines: RcLine[] = [];
  let words: string[] = [];
  let firstWordLine = 0;
  let line = 1;
  let at = 0;

  const endLine = (): void => {
    if (words.length > 0) lines.push({ words, line: firstWordLine });
    words = [];
  };

  while (at < source.length) {
    const char = source[at];
    if (char === '\n') {
      endLine();
      line += 1;
      at += 1;
    } else if (char === ' ' || char === '\t' || char === '\r') {
      at += 1;
    } else if (char === '#') {
      const newline = source.indexOf('\n', at);
      at = newline === -1 ? source.length : newline;
    } else {
      if (words.length === 0) firstWordLine = line;
      const word = readWord(source, at);
      if (word === undefined) return lines; // a quote left open: init stops reading the file here
      words.push(word.text);
      line += word.newlines;
      at = word.end;
    }
  }
  return lines;
}

/** Characters with no special meaning inside a word, taken in one step. */
const PLAIN_RUN = /[^ \t\r\n"\\]+/y;

const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['\\', '\\'],
]);

/**
 * Reads one word starting at `start`. Returns where it ends (at the blank or newline after it, which
 * is left for the caller) and how many newlines it consumed, or undefined for an unclosed quote.
 */
function readWord(source: string, start: number): { text: string; end: number; newlines: number } | undefined {
  let text = '';
  let newlines = 0;
  let at = start;
  while (at < source.length) {
    const char = source[at] as string;
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n') break;
    if (char === '"') {
      const close = source.indexOf('"', at + 1);
      if (close === -1) return undefined;
      const quoted = source.slice(at + 1, close);
      text += quoted;
      newlines += countNewlines(quoted);
      at = close + 1;
    } else if (char === '\\') {
      const next = source[at + 1];
      if (next === undefined) {
        at += 1;
      } else if (next === '\n' || (next === '\r' && source[at + 2] === '\n')) {
        newlines += 1;
        at += next === '\n' ? 2 : 3;
        while (source[at] === ' ' || source[at] === '\t') at += 1;
      } else if (next === '\r') {
        at += 2; // a lone CR after a backslash is dropped
      } else {
        text += ESCAPES.get(next) ?? next;
        at += 2;
      }
    } else {
      PLAIN_RUN.lastIndex = at;
      PLAIN_RUN.exec(source);
      text += source.slice(at, PLAIN_RUN.lastIndex);
      at = PLAIN_RUN.lastIndex;
    }
  }
  return { text, end: at, newlines };
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}

/**
 * Words joined by single spaces. A word that would not survive that join (empty, or holding blanks,
 * quotes, backslashes or a leading `#`) is shown JSON-quoted, so the text stays unambiguous.
 */
function joinWords(words: readonly string[]): string {
  return words.map((word) => (word === '' || /[\s"\\]/.test(word) || word.startsWith('#') ? JSON.stringify(word) : word)).join(' ');
}
