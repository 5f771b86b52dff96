import { InputError } from '../errors.js';

/**
 * Edify, the language of `META-INF/com/google/android/updater-script` (AOSP bootable/recovery
 * edify/lexer.ll and parser.yy). Everything is a string: `"…"` literals (escapes `\"` `\\` `\n`
 * `\t` `\xNN`) and bare words of `[A-Za-z0-9_:/.]` (so `0755` and `0x0` are strings); calls
 * `name(arg, …)`; `a; b` sequences; `!`, `+` (concatenation), `==`, `!=`, `&&`, `||`;
 * `if … then … [else …] endif`; `#` comments to the end of the line.
 */
export type EdifyExpr =
  | { kind: 'string'; value: string; line: number }
  | { kind: 'call'; name: string; args: EdifyExpr[]; line: number }
  | { kind: 'sequence'; items: EdifyExpr[] }
  | { kind: 'not'; operand: EdifyExpr }
  | { kind: 'binary'; operator: '+' | '==' | '!=' | '&&' | '||'; left: EdifyExpr; right: EdifyExpr }
  | { kind: 'if'; condition: EdifyExpr; then: EdifyExpr; else: EdifyExpr | null };

type Token =
  | { kind: 'string'; value: string; line: number; offset: number; quoted: boolean }
  | { kind: 'keyword'; value: 'if' | 'then' | 'else' | 'endif'; line: number; offset: number }
  | { kind: 'operator'; value: '(' | ')' | ',' | ';' | '!' | '+' | '==' | '!=' | '&&' | '||'; line: number; offset: number }
  | { kind: 'end'; line: number; offset: number };

const BARE_WORD = /[A-Za-z0-9_:/.]+/y;
const KEYWORDS = new Set(['if', 'then', 'else', 'endif']);
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };
/** Scripts of real packages are tens of KiB; nesting deeper than this is no script. */
const MAX_DEPTH = 200;

/** A script the updater would refuse to run (a syntax error), with its line. */
export class EdifySyntaxError extends InputError {
  override readonly name = 'EdifySyntaxError';
}

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let at = 0;
  const fail = (problem: string, offset: number, expected?: string, atLine = line): EdifySyntaxError =>
    new EdifySyntaxError(`line ${atLine}: ${problem}`, { file, format: 'updater-script (edify)', offset, ...(expected === undefined ? {} : { expected }) });
  while (at < text.length) {
    const char = text[at] as string;
    if (char === '\n') {
      line += 1;
      at += 1;
    } else if (char === ' ' || char === '\t' || char === '\r') {
      at += 1;
    } else if (char === '#') {
      const end = text.indexOf('\n', at);
      at = end === -1 ? text.length : end;
    } else if (char === '"') {
      const start = at;
      const startLine = line;
      let value = '';
      at += 1;
      for (;;) {
        if (at >= text.length) throw fail('string literal is not closed', start, 'a closing "', startLine);
        const inner = text[at] as string;
        if (inner === '"') break;
        if (inner === '\\') {
          const next = text[at + 1] ?? '';
          if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(at + 2, at + 4))) {
            value += String.fromCharCode(parseInt(text.slice(at + 2, at + 4), 16));
            at += 4;
            continue;
          }
          value += ESCAPES[next] ?? next;
          at += 2;
          continue;
        }
        if (inner === '\n') line += 1;
        value += inner;
        at += 1;
      }
      at += 1;
      tokens.push({ kind: 'string', value, line: startLine, offset: start, quoted: true });
    } else if (/[A-Za-z0-9_:/.]/.test(char)) {
      BARE_WORD.lastIndex = at;
      BARE_WORD.exec(text);
      const word = text.slice(at, BARE_WORD.lastIndex);
      tokens.push(KEYWORDS.has(word) ? { kind: 'keyword', value: word as 'if', line, offset: at } : { kind: 'string', value: word, line, offset: at, quoted: false });
      at = BARE_WORD.lastIndex;
    } else {
      const two = text.slice(at, at + 2);
      if (two === '==' || two === '!=' || two === '&&' || two === '||') {
        tokens.push({ kind: 'operator', value: two, line, offset: at });
        at += 2;
      } else if ('(),;!+'.includes(char)) {
        tokens.push({ kind: 'operator', value: char as '(', line, offset: at });
        at += 1;
      } else {
        throw fail(`unexpected character ${JSON.stringify(char)}`, at);
      }
    }
  }
  tokens.push({ kind: 'end', line, offset: text.length });
  return tokens;
}

/** Operator precedence, loosest first (parser.yy: `;` < else < `||` < `&&` < `==` `!=` < `+`). */
const BINARY_LEVELS: readonly (readonly string[])[] = [['||'], ['&&'], ['==', '!='], ['+']];

/** Parses a whole script into one expression (a sequence of its statements); a syntax error is an EdifySyntaxError naming the line. */
export function parseEdify(text: string, file: string): EdifyExpr {
  const tokens = tokenize(text, file);
  let position = 0;
  let depth = 0;
  const peek = (): Token => tokens[position] as Token;
  const take = (): Token => tokens[position++] as Token;
  const fail = (problem: string, token: Token, expected: string): EdifySyntaxError =>
    new EdifySyntaxError(`line ${token.line}: ${problem}`, { file, format: 'updater-script (edify)', offset: token.offset, expected });
  const isOperator = (token: Token, value: string): boolean => token.kind === 'operator' && token.value === value;
  const isKeyword = (token: Token, value: string): boolean => token.kind === 'keyword' && token.value === value;
  const describe = (token: Token): string => (token.kind === 'end' ? 'the end of the script' : JSON.stringify(token.value));

  const sequence = (until: (token: Token) => boolean): EdifyExpr => {
    const items: EdifyExpr[] = [];
    while (!until(peek())) {
      if (isOperator(peek(), ';')) {
        take();
        continue;
      }
      items.push(binary(0));
      if (!until(peek()) && !isOperator(peek(), ';')) throw fail(`${describe(peek())} where a ; or the end of a block belongs`, peek(), ';');
    }
    return items.length === 1 ? (items[0] as EdifyExpr) : { kind: 'sequence', items };
  };

  const binary = (level: number): EdifyExpr => {
    const operators = BINARY_LEVELS[level];
    if (operators === undefined) return unary();
    let left = binary(level + 1);
    for (;;) {
      const token = peek();
      if (token.kind !== 'operator' || !operators.includes(token.value)) return left;
      take();
      left = { kind: 'binary', operator: token.value as '+', left, right: binary(level + 1) };
    }
  };

  const unary = (): EdifyExpr => {
    if (isOperator(peek(), '!')) {
      take();
      return { kind: 'not', operand: unary() };
    }
    return primary();
  };

  const primary = (): EdifyExpr => {
    const token = take();
    if (++depth > MAX_DEPTH) throw fail(`nested more than ${MAX_DEPTH} deep`, token, 'a flatter script');
    try {
      if (token.kind === 'string') {
        if (!token.quoted && isOperator(peek(), '(')) {
          take();
          const args: EdifyExpr[] = [];
          if (!isOperator(peek(), ')')) {
            for (;;) {
              args.push(binary(0));
              if (isOperator(peek(), ',')) {
                take();
                continue;
              }
              break;
            }
          }
          const close = take();
          if (!isOperator(close, ')')) throw fail(`${describe(close)} in the arguments of ${token.value}()`, close, ') or ,');
          return { kind: 'call', name: token.value, args, line: token.line };
        }
        return { kind: 'string', value: token.value, line: token.line };
      }
      if (isOperator(token, '(')) {
        const inner = sequence((next) => isOperator(next, ')') || next.kind === 'end');
        const close = take();
        if (!isOperator(close, ')')) throw fail('( is not closed', close, ')');
        return inner;
      }
      if (isKeyword(token, 'if')) {
        const condition = sequence((next) => isKeyword(next, 'then') || next.kind === 'end');
        if (!isKeyword(take(), 'then')) throw fail('if without then', token, 'then');
        const then = sequence((next) => isKeyword(next, 'else') || isKeyword(next, 'endif') || next.kind === 'end');
        let otherwise: EdifyExpr | null = null;
        if (isKeyword(peek(), 'else')) {
          take();
          otherwise = sequence((next) => isKeyword(next, 'endif') || next.kind === 'end');
        }
        if (!isKeyword(take(), 'endif')) throw fail('if without endif', token, 'endif');
        return { kind: 'if', condition, then, else: otherwise };
      }
      throw fail(`${describe(token)} where a string, a call or ( belongs`, token, 'an expression');
    } finally {
      depth -= 1;
    }
  };

  const script = sequence((token) => token.kind === 'end');
  return script;
}

/** One call as the updater runs it: its arguments' values (null where an argument is no literal), and whether it runs only under a condition. */
export interface EdifyCall {
  name: string;
  args: (string | null)[];
  line: number;
  conditional: boolean;
}

/** Functions that evaluate their arguments from this one on only under a condition: `ifelse(cond, then, else)` (edify/expr.cpp IfElseFn). */
const LAZY_FUNCTIONS: ReadonlyMap<string, number> = new Map([['ifelse', 1]]);

/**
 * Every call in the order the updater would evaluate them (left to right, arguments before the
 * call that reads them), `conditional` when a call sits in a branch of `if`/`ifelse` or on the
 * right of `&&`/`||`.
 */
export function edifyCalls(script: EdifyExpr): EdifyCall[] {
  const calls: EdifyCall[] = [];
  const visit = (node: EdifyExpr, conditional: boolean): void => {
    switch (node.kind) {
      case 'string':
        return;
      case 'sequence':
        for (const item of node.items) visit(item, conditional);
        return;
      case 'not':
        visit(node.operand, conditional);
        return;
      case 'binary':
        visit(node.left, conditional);
        visit(node.right, conditional || node.operator === '&&' || node.operator === '||');
        return;
      case 'if':
        visit(node.condition, conditional);
        visit(node.then, true);
        if (node.else !== null) visit(node.else, true);
        return;
      case 'call': {
        const lazyFrom = LAZY_FUNCTIONS.get(node.name);
        node.args.forEach((arg, index) => visit(arg, conditional || (lazyFrom !== undefined && index >= lazyFrom)));
        calls.push({ name: node.name, args: node.args.map(literalValue), line: node.line, conditional });
        return;
      }
    }
  };
  visit(script, false);
  return calls;
}

/** A string literal, or literals joined with `+`; null for anything computed when the script runs. */
function literalValue(node: EdifyExpr): string | null {
  if (node.kind === 'string') return node.value;
  if (node.kind === 'binary' && node.operator === '+') {
    const left = literalValue(node.left);
    const right = literalValue(node.right);
    return left === null || right === null ? null : left + right;
  }
  return null;
}
