import { parseClaims } from '../../shared/keyClaims.js';
import { ClaimSyntaxError } from '../../shared/verdicts.js';
import type { JudgeOptions } from '../engine/compare.js';
import { loadFeatureRules } from '../engine/rules/loadFeatureRules.js';
import { UsageError } from './usage.js';

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
