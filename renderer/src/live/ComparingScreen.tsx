import { useEffect, useRef } from 'react';
import { RunControls } from './RunControls.js';
import type { Picks, ProgressView } from './liveState.js';
import { describeSteps, type StepStatus } from './progressText.js';

interface ComparingScreenProps {
  picks: Picks;
  progress: ProgressView;
  startedAt: number;
  cancelling: boolean;
  onCancel: () => void;
}

const STATUS_WORDS: Record<StepStatus, string> = { done: 'done', current: 'in progress', waiting: 'waiting' };
const STATUS_MARKS: Record<StepStatus, string> = { done: '✓', current: '●', waiting: '○' };

export function ComparingScreen({ picks, progress, startedAt, cancelling, onCancel }: ComparingScreenProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  return (
    <main className="page comparing" data-testid="comparing-screen" aria-busy="true">
      <header className="page-header">
        <h1 ref={headingRef} tabIndex={-1}>
          Comparing
        </h1>
        <p className="lede">
          <span className="mono">{picks.old?.name}</span> with <span className="mono">{picks.new?.name}</span>
        </p>
      </header>
      <ol className="steps" data-testid="progress-steps">
        {describeSteps(progress.latest, progress.bySide).map((step) => (
          <li
            key={step.stage}
            className={`step step-${step.status}`}
            data-testid={`step-${step.stage}`}
            data-status={step.status}
            aria-current={step.status === 'current' ? 'step' : undefined}
          >
            <span className="step-mark" aria-hidden="true">{STATUS_MARKS[step.status]}</span>
            <span className="step-label">{step.label}</span>
            <span className="step-status">{STATUS_WORDS[step.status]}</span>
            {step.details.map((detail) => (
              <span key={detail} className="step-detail" data-testid="step-detail">
                {detail}
              </span>
            ))}
          </li>
        ))}
      </ol>
      <RunControls startedAt={startedAt} cancelling={cancelling} onCancel={onCancel} />
    </main>
  );
}
