import type { Problem } from '../../../shared/model.js';

interface ProblemsSectionProps {
  problems: { old: Problem[]; new: Problem[] };
}

const SIDES = [
  { side: 'old', title: 'Old build' },
  { side: 'new', title: 'New build' },
] as const;

/** Members that could not be read; shown only when there are some, since they make the comparison partial. */
export function ProblemsSection({ problems }: ProblemsSectionProps) {
  if (problems.old.length + problems.new.length === 0) return null;
  return (
    <section id="problems" className="section problems" aria-labelledby="problems-heading" data-testid="problems">
      <h2 id="problems-heading">Problems</h2>
      <p className="section-intro">These parts could not be read, so they are left out of the comparison above.</p>
      {SIDES.filter(({ side }) => problems[side].length > 0).map(({ side, title }) => (
        <section key={side} className="subsection" aria-labelledby={`problems-${side}-heading`}>
          <h3 id={`problems-${side}-heading`}>
            {title} <span className="count">({problems[side].length.toLocaleString('en-US')})</span>
          </h3>
          <ul className="problem-list" data-testid={`problems-${side}`}>
            {problems[side].map((problem, index) => (
              <li key={`${problem.path}\u0000${index}`}>
                <span className="mono">{problem.path}</span>: {problem.message}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
