import { useEffect, useMemo, useRef, useState } from 'react';
import type { ComparisonResult } from '../../../shared/model.js';
import { markdownSummary } from '../../../shared/summary.js';

type CopyState = 'idle' | 'copied' | 'manual';

async function writeClipboard(text: string): Promise<boolean> {
  try {
    // Missing outside a secure context; a saved report opened from disk may have none.
    if (typeof navigator.clipboard?.writeText !== 'function') return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Copies the verdicts as Markdown; where the clipboard is refused, shows the text selected for copying by hand. */
export function CopySummaryButton({ result }: { result: ComparisonResult }) {
  const markdown = useMemo(() => markdownSummary(result), [result]);
  const [state, setState] = useState<CopyState>('idle');
  const manualRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (state === 'manual') manualRef.current?.select();
  }, [state]);

  return (
    <div className="copy-summary">
      <button type="button" data-testid="copy-summary" onClick={() => void writeClipboard(markdown).then((ok) => setState(ok ? 'copied' : 'manual'))}>
        Copy summary
      </button>
      <span role="status" className="copy-status" data-testid="copy-summary-status">
        {state === 'copied' ? 'Summary copied as Markdown.' : state === 'manual' ? 'The clipboard is not available here: copy the text below.' : ''}
      </span>
      {state === 'manual' && (
        <textarea ref={manualRef} className="copy-manual" readOnly value={markdown} aria-label="Summary in Markdown" data-testid="copy-summary-text" rows={8} />
      )}
    </div>
  );
}
