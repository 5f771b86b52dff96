import { parseClaims } from '../../shared/keyClaims.js';
import { ClaimSyntaxError } from '../../shared/verdicts.js';
import type { JudgeOptions } from '../engine/compare.js';
import { loadFeatureRules } from '../engine/rules/loadFeatureRules.js';
import { UsageError } from './usage.js';

/** The options compare and timeline share: where the result goes, and the rules and claims it is judged by. */
export const RESULT_OPTIONS = {
  json: { type: 'string' },
  html: { type: 'string' },
  md: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  claim: { type: 'string', multiple: true },
  features: { type: 'string', multiple: true },
} as const;

/** `--features FILE…` and `--claim TEXT…` as the engine takes them: the rules first, since claims may name their features. */
export async function judgeOptions(ruleFiles: readonly string[], claimTexts: readonly string[]): Promise<Required<Pick<JudgeOptions, 'features' | 'ruleFiles' | 'claims' | 'keyClaims'>>> {
  const { features, ruleFiles: names } = await loadFeatureRules(ruleFiles);
  try {
    const claims = parseClaims(claimTexts, features);
    return { features, ruleFiles: names, claims: claims.features, keyClaims: claims.keys };
  } catch (error) {
    if (error instanceof ClaimSyntaxError) throw new UsageError(`--claim: ${error.message}`);
    throw error;
  }
}
