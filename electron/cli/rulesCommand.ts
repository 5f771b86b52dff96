import { parseArgs } from 'node:util';
import { stringify as toYaml } from 'yaml';
import { FEATURE_RULES_VERSION, type FeatureRulesDocument } from '../../shared/featureRules.js';
import { FEATURES } from '../../shared/features.js';
import { loadFeatureRules } from '../engine/rules/loadFeatureRules.js';
import { writeStdout, writeText } from './output.js';
import { UsageError } from './usage.js';

/**
 * `otalens rules [--features FILE]… [--json | --yaml]`: the feature rules a comparison would apply,
 * checked. `--json` / `--yaml` print them as a rules document, a start for a file of one's own.
 */
export async function rulesCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { features: { type: 'string', multiple: true }, json: { type: 'boolean' }, yaml: { type: 'boolean' } } });
  if (positionals.length > 0) throw new UsageError('rules takes no packages: otalens rules [--features FILE]… [--json | --yaml]');
  if (values.json && values.yaml) throw new UsageError('--json and --yaml: choose one');
  const { features, ruleFiles } = await loadFeatureRules(values.features ?? []);
  const document: FeatureRulesDocument = { otalensFeatureRules: FEATURE_RULES_VERSION, features };
  if (values.json) return writeStdout(`${JSON.stringify(document, null, 2)}\n`);
  if (values.yaml) return writeStdout(toYaml(document, { lineWidth: 0 }));
  const builtIn = new Map(FEATURES.map((feature) => [feature.id, feature]));
  const lines = [`Feature rules: built-in${ruleFiles.length === 0 ? '' : ` + ${ruleFiles.join(' + ')}`} (${features.length} features)`];
  for (const feature of features) {
    const origin = builtIn.get(feature.id) === feature ? 'built-in' : builtIn.has(feature.id) ? 'overridden by a rules file' : 'from a rules file';
    lines.push(`  ${feature.id.padEnd(22)} ${feature.title} [${origin}; ${[...new Set(feature.matchers.map((matcher) => matcher.kind))].join(', ')}]`);
  }
  await writeText(`${lines.join('\n')}\n`);
}
