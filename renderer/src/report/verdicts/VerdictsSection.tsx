import type { FeatureVerdict } from '../../../../shared/verdict.js';
import { ReportSection } from '../ReportSection.js';
import { FeatureCard } from './FeatureCard.js';
import { splitFeatures } from './splitFeatures.js';

export function VerdictsSection({ features, partial }: { features: readonly FeatureVerdict[]; partial: boolean }) {
  const { shown, absent } = splitFeatures(features);
  return (
    <ReportSection
      id="verdicts"
      title="Privacy defaults"
      intro={
        <>
          For each privacy-relevant feature OTA Lens knows: whether it is on by default in each build, and the files that say so.
          {partial && <> Some parts could not be read (see Problems below), so a verdict may miss evidence.</>}
        </>
      }
    >
      {shown.length === 0 && absent.length === 0 && <p className="empty">No features were checked.</p>}
      <div className="feature-cards">
        {shown.map((feature) => (
          <FeatureCard key={feature.id} feature={feature} />
        ))}
      </div>
      {absent.length > 0 && (
        <p className="absent-features" data-testid="features-absent">
          <span className="absent-label">Not found in either build:</span>{' '}
          {absent.map((feature, index) => (
            <span key={feature.id}>
              {index > 0 && ', '}
              <span data-testid="absent-feature" title={feature.whyItMatters}>
                {feature.title}
              </span>
            </span>
          ))}
          .
        </p>
      )}
    </ReportSection>
  );
}
