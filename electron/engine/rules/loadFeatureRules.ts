/**
 * Reads feature rule files (JSON or YAML, docs/feature-rules.md) and merges them over the built-in
 * knowledge base. Every problem is a FeatureRulesError naming the file, and within it the rule
 * and the field.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { FeatureRulesError, mergeFeatureRules, parseFeatureRules, type FeatureDefinition, type FeatureRuleSet } from '../../../shared/featureRules.js';
import { FEATURES } from '../../../shared/features.js';
import { describeFsError } from '../errors.js';

/** A rules file is a few KiB; anything past this is not one. */
export const RULES_FILE_LIMIT = 4 << 20;

/** The document in a rules file's text: JSON for a `.json` name, YAML (which also reads JSON) otherwise. */
function parseDocument(text: string, file: string): unknown {
  if (/\.json$/i.test(file)) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new FeatureRulesError(file, null, '', `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  try {
    return parseYaml(text, { uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    // Aliases expanding past the parser's budget (a "billion laughs" file) throw a ReferenceError.
    if (!(error instanceof YAMLParseError)) throw new FeatureRulesError(file, null, '', `not usable YAML (${error instanceof Error ? error.message : String(error)})`);
    const at = error.linePos?.[0];
    const problem = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new FeatureRulesError(file, null, '', `not valid YAML${at === undefined ? '' : ` at line ${at.line}, column ${at.col}`} (${problem})`);
  }
}

/** One rules file, checked; `name` is how errors call it (the path as given, by default). */
export async function readFeatureRulesFile(path: string, name = path): Promise<FeatureRuleSet> {
  let text: string;
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw new FeatureRulesError(name, null, '', 'not a file');
    if (stats.size > RULES_FILE_LIMIT) throw new FeatureRulesError(name, null, '', `${stats.size} bytes; a rules file is at most ${RULES_FILE_LIMIT >> 20} MiB`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof FeatureRulesError) throw error;
    throw new FeatureRulesError(name, null, '', `cannot be read: ${describeFsError(error)}`);
  }
  return { file: name, features: parseFeatureRules(parseDocument(text, name), name) };
}

export interface LoadedFeatureRules {
  /** The built-in knowledge base with the files' rules over it. */
  features: FeatureDefinition[];
  /** The files' base names, in the order applied. */
  ruleFiles: string[];
}

/** The knowledge base with the rule files applied in order (a later file overrides an earlier one). */
export async function loadFeatureRules(paths: readonly string[]): Promise<LoadedFeatureRules> {
  const sets: FeatureRuleSet[] = [];
  for (const path of paths) sets.push(await readFeatureRulesFile(path));
  return { features: mergeFeatureRules(FEATURES, sets), ruleFiles: paths.map((path) => basename(path)) };
}
