import type { ReactNode } from 'react';

interface ReportSectionProps {
  /** Used for the heading id (`${id}-heading`), the in-page link and the test id. */
  id: string;
  title: string;
  intro?: ReactNode;
  className?: string;
  children?: ReactNode;
}

/** One titled block of the report, addressable as `#${id}`. */
export function ReportSection({ id, title, intro, className, children }: ReportSectionProps) {
  return (
    <section id={id} className={className === undefined ? 'section' : `section ${className}`} aria-labelledby={`${id}-heading`} data-testid={id}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {intro !== undefined && <p className="section-intro">{intro}</p>}
      {children}
    </section>
  );
}
