import type { FeatureRulesStatus } from '../../../shared/api.js';

interface RulesPanelProps {
  status: FeatureRulesStatus | null;
  onLoad: () => void;
  onForget: () => void;
}

/** Which feature rules the verdicts will use: the built-in ones, and a rules file of the user's (File › Load Feature Rules…). */
export function RulesPanel({ status, onLoad, onForget }: RulesPanelProps) {
  if (status === null) return null;
  const file = status.file;
  return (
    <section className="rules-panel" aria-labelledby="rules-heading" data-testid="rules-panel">
      <h2 id="rules-heading">Feature rules</h2>
      {file === null ? (
        <p data-testid="rules-status">The built-in rules only. A rules file of your own (YAML or JSON) adds features or changes these.</p>
      ) : (
        <p data-testid="rules-status">
          The built-in rules and <span className="mono" title={file.path}>{file.name}</span>
          {status.error === null && (
            <>
              {' '}
              ({status.features.length === 1 ? '1 feature' : `${status.features.length} features`}: {status.features.map((feature) => feature.title).join(', ')})
            </>
          )}
          .
        </p>
      )}
      {status.error !== null && (
        <p className="notice-message mono" role="alert" data-testid="rules-error">
          {status.error}
        </p>
      )}
      <div className="button-row">
        <button type="button" onClick={onLoad} data-testid="rules-load">
          Load a rules file…
        </button>
        {file !== null && (
          <button type="button" onClick={onForget} data-testid="rules-forget">
            Use the built-in rules only
          </button>
        )}
      </div>
    </section>
  );
}
