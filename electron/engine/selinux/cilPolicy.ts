import type { Problem } from '../../../shared/model.js';
import type { SelinuxDomain, SelinuxPolicy, SelinuxRule, SourceLine } from '../../../shared/security.js';
import { compareStrings } from '../../../shared/sort.js';
import { InputError } from '../errors.js';
import { readCil, type CilNode } from './cilReader.js';

/** The attribute every process type belongs to in Android's policy (system/sepolicy public/attributes). */
const DOMAIN_ATTRIBUTE = 'domain';
/** The domain of ordinary installed apps. */
const UNTRUSTED_APP = 'untrusted_app';
const EXPRESSION_OPERATORS = new Set(['and', 'or', 'xor', 'not', 'all']);
/** Statements that need a CIL compiler's full resolution (blocks, macros) or are conditional: their rules are not counted. */
const UNSUPPORTED = new Set(['block', 'blockinherit', 'in', 'macro', 'call', 'booleanif', 'tunableif', 'optional']);

interface AllowStatement {
  source: string;
  target: string;
  classes: { name: string; permissions: string[] }[];
  at: SourceLine;
}

/** The parts of CIL files a summary needs, merged over all files as secilc merges them. */
class CilStatements {
  readonly types = new Map<string, SourceLine>();
  readonly attributes = new Set<string>();
  readonly aliases = new Map<string, string>();
  readonly attributeSets = new Map<string, { expression: CilNode; at: SourceLine }[]>();
  readonly permissive = new Map<string, SourceLine>();
  readonly classPermissions = new Map<string, { name: string; permissions: string[] }[]>();
  readonly allows: AllowStatement[] = [];
  readonly unsupported = new Map<string, SourceLine>();

  add(statement: CilNode, path: string): void {
    if (statement.kind !== 'list') return;
    const [head, ...args] = statement.items;
    if (head?.kind !== 'atom') return;
    const at = { path, line: statement.line };
    const name = (index: number): string => symbol(args[index], path, `${head.value} argument ${index + 1}`);
    switch (head.value) {
      case 'type':
        if (!this.types.has(name(0))) this.types.set(name(0), at);
        return;
      case 'typeattribute':
        this.attributes.add(name(0));
        return;
      case 'typealias':
        return;
      case 'typealiasactual':
        this.aliases.set(name(0), name(1));
        return;
      case 'typeattributeset': {
        const expression = args[1];
        if (expression === undefined) throw cilError(`typeattributeset ${name(0)} has no members`, path, statement.line);
        this.attributeSets.set(name(0), [...(this.attributeSets.get(name(0)) ?? []), { expression, at }]);
        return;
      }
      case 'typepermissive':
        if (!this.permissive.has(name(0))) this.permissive.set(name(0), at);
        return;
      case 'classpermissionset':
        this.classPermissions.set(name(0), [...(this.classPermissions.get(name(0)) ?? []), ...classPermissionsOf(args[1], path, statement.line)]);
        return;
      case 'allow': {
        if (args.length !== 3) throw cilError(`allow takes a source, a target and class permissions, got ${args.length} arguments`, path, statement.line);
        const classes = args[2]?.kind === 'atom' ? null : classPermissionsOf(args[2], path, statement.line);
        this.allows.push({ source: name(0), target: name(1), classes: classes ?? [{ name: `@${name(2)}`, permissions: [] }], at });
        return;
      }
      default:
        if (UNSUPPORTED.has(head.value) && !this.unsupported.has(head.value)) this.unsupported.set(head.value, at);
    }
  }
}

function symbol(node: CilNode | undefined, path: string, what: string): string {
  if (node?.kind !== 'atom') throw cilError(`${what} is ${node === undefined ? 'missing' : 'a list'}`, path, node?.line ?? 0, 'a name');
  return node.value;
}

function cilError(problem: string, path: string, line: number, expected?: string): InputError {
  return new InputError(`line ${line}: ${problem}`, { file: path, format: 'SELinux CIL', ...(expected === undefined ? {} : { expected }) });
}

/** `(file (read open))`, `(file (all))`, `(file (not (write)))` → the class and its permission words. */
function classPermissionsOf(node: CilNode | undefined, path: string, line: number): { name: string; permissions: string[] }[] {
  if (node?.kind !== 'list' || node.items[0]?.kind !== 'atom') throw cilError('class permissions are not (class (permissions))', path, node?.line ?? line, '(class (permission …))');
  return [{ name: node.items[0].value, permissions: flatten(node.items[1]) }];
}

function flatten(node: CilNode | undefined): string[] {
  if (node === undefined) return [];
  if (node.kind === 'atom') return [node.value];
  return node.items.flatMap(flatten);
}

/**
 * The policy of a build, from its CIL files in load order: the types, attributes (`typeattributeset`
 * expressions with and/or/xor/not/all, attributes inside attributes), aliases, `typepermissive`
 * and `allow` statements. What cannot be read is a problem (a file whose syntax is broken is left
 * out; a statement only a full CIL compiler resolves, such as a macro, is named).
 */
export function summarizeCilPolicy(files: readonly { path: string; text: string }[], precompiled: string | null, problems: Problem[]): SelinuxPolicy {
  const statements = new CilStatements();
  const read: string[] = [];
  for (const file of files) {
    try {
      const nodes = readCil(file.text, file.path);
      for (const node of nodes) statements.add(node, file.path);
      read.push(file.path);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push({ path: file.path, message: `SELinux policy file not read: ${error.message}` });
    }
  }
  for (const [keyword, at] of statements.unsupported) {
    problems.push({ path: at.path, message: `line ${at.line}: CIL ${keyword} statements need a full CIL compiler; the rules inside them are not counted` });
  }
  const expander = new AttributeExpander(statements, problems);
  const domainNames = statements.attributes.has(DOMAIN_ATTRIBUTE) ? expander.members(DOMAIN_ATTRIBUTE) : new Set<string>();
  const domainRules = new Map<string, Set<string>>([...domainNames].map((name) => [name, new Set<string>()]));
  const untrustedApp = new Map<string, SelinuxRule>();

  for (const allow of statements.allows) {
    const source = statements.aliases.get(allow.source) ?? allow.source;
    const target = statements.aliases.get(allow.target) ?? allow.target;
    const sources = expander.members(source);
    const targets = target === 'self' ? null : expander.members(target);
    // A rule whose target expands to nothing does not exist in the compiled policy.
    if (targets !== null && targets.size === 0) continue;
    const classes = allow.classes.flatMap((entry) => (entry.name.startsWith('@') ? (statements.classPermissions.get(entry.name.slice(1)) ?? []) : [entry]));
    for (const member of sources) {
      const rules = domainRules.get(member);
      const involvesApp = member === UNTRUSTED_APP || (targets?.has(UNTRUSTED_APP) ?? false);
      if (rules === undefined && !involvesApp) continue;
      // `self` on an attribute becomes one rule per member type (member, member); a type keeps its name.
      const keySource = target === 'self' ? member : source;
      const keyTarget = target === 'self' ? member : target;
      for (const entry of classes) {
        rules?.add(`${keySource}\0${keyTarget}\0${entry.name}`);
        if (!involvesApp) continue;
        const key = `${keySource}\0${keyTarget}\0${entry.name}`;
        const existing = untrustedApp.get(key);
        const fromUntrustedApp = member === UNTRUSTED_APP;
        if (existing === undefined) untrustedApp.set(key, { source: keySource, target: keyTarget, class: entry.name, permissions: [...entry.permissions], fromUntrustedApp, at: allow.at });
        else {
          existing.permissions = [...new Set([...existing.permissions, ...entry.permissions])];
          existing.fromUntrustedApp ||= fromUntrustedApp;
        }
      }
    }
  }

  const domains: SelinuxDomain[] = [...domainNames].sort(compareStrings).map((name) => ({
    name,
    definedAt: statements.types.get(name) ?? null,
    permissive: statements.permissive.get(name) ?? null,
    allowRules: domainRules.get(name)?.size ?? 0,
  }));
  if (read.length > 0 && !statements.attributes.has(DOMAIN_ATTRIBUTE)) {
    problems.push({ path: read[0] as string, message: `the policy declares no "${DOMAIN_ATTRIBUTE}" attribute, so no process domains could be told apart` });
  }
  const untrustedAppRules = [...untrustedApp.values()]
    .map((rule) => ({ ...rule, permissions: [...rule.permissions].sort(compareStrings) }))
    .sort((a, b) => compareStrings(`${a.source}\0${a.target}\0${a.class}`, `${b.source}\0${b.target}\0${b.class}`));
  return { files: read, precompiledOnly: read.length === 0 ? precompiled : null, domains, untrustedAppRules };
}

/** Expands attributes to the types they hold, as secilc does: expressions evaluated, attributes inside attributes followed, loops refused. */
class AttributeExpander {
  private readonly expanded = new Map<string, ReadonlySet<string>>();
  private readonly expanding = new Set<string>();
  private allTypes: ReadonlySet<string> | null = null;

  constructor(
    private readonly statements: CilStatements,
    private readonly problems: Problem[],
  ) {}

  /** The types a name stands for: a type itself, an alias's type, or an attribute's members. */
  members(name: string): ReadonlySet<string> {
    const actual = this.statements.aliases.get(name) ?? name;
    if (!this.statements.attributes.has(actual)) return new Set([actual]);
    const cached = this.expanded.get(actual);
    if (cached !== undefined) return cached;
    if (this.expanding.has(actual)) {
      const at = this.statements.attributeSets.get(actual)?.[0]?.at;
      this.problems.push({ path: at?.path ?? actual, message: `line ${at?.line ?? 0}: attribute ${actual} contains itself; counted without the loop` });
      return new Set();
    }
    this.expanding.add(actual);
    const result = new Set<string>();
    for (const set of this.statements.attributeSets.get(actual) ?? []) for (const type of this.evaluate(set.expression)) result.add(type);
    this.expanding.delete(actual);
    this.expanded.set(actual, result);
    return result;
  }

  private evaluate(node: CilNode): ReadonlySet<string> {
    if (node.kind === 'atom') return this.members(node.value);
    const [head, ...rest] = node.items;
    if (head?.kind === 'atom' && EXPRESSION_OPERATORS.has(head.value)) {
      const operands = rest.map((operand) => this.evaluate(operand));
      switch (head.value) {
        case 'all':
          return this.all();
        case 'not': {
          const excluded = operands[0] ?? new Set<string>();
          return new Set([...this.all()].filter((type) => !excluded.has(type)));
        }
        case 'and':
          return new Set([...(operands[0] ?? [])].filter((type) => operands.slice(1).every((operand) => operand.has(type))));
        case 'xor': {
          const [a = new Set<string>(), b = new Set<string>()] = operands;
          return new Set([...[...a].filter((type) => !b.has(type)), ...[...b].filter((type) => !a.has(type))]);
        }
        default:
          return new Set(operands.flatMap((operand) => [...operand]));
      }
    }
    return new Set(node.items.flatMap((item) => [...this.evaluate(item)]));
  }

  private all(): ReadonlySet<string> {
    this.allTypes ??= new Set(this.statements.types.keys());
    return this.allTypes;
  }
}
