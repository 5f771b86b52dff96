import type { FeatureVerdict } from '../../../../shared/verdict.js';
import { changeRank } from '../../text/verdictText.js';

/** Features found in neither build get one line; the rest a card each, changes first. */
export function splitFeatures(features: readonly FeatureVerdict[]): { shown: FeatureVerdict[]; absent: FeatureVerdict[] } {
  const absent = features.filter((feature) => feature.old.state === 'absent' && feature.new.state === 'absent');
  const shown = features
    .filter((feature) => !absent.includes(feature))
    .map((feature, index) => ({ feature, index }))
    .sort((a, b) => changeRank(a.feature.change) - changeRank(b.feature.change) || a.index - b.index)
    .map(({ feature }) => feature);
  return { shown, absent };
}
