import { stateExplanation, stateLabel } from '../../text/verdictText.js';

/** A feature state in words, with its meaning spelled out for those who hover or use a screen reader. */
export function StateText({ state, testId }: { state: string; testId?: string }) {
  const explanation = stateExplanation(state);
  return (
    <span className={`state-text state-${state}`} data-testid={testId} title={explanation === '' ? undefined : explanation}>
      {stateLabel(state)}
    </span>
  );
}
