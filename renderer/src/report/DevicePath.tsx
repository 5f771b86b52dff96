import { pathWithLine } from '../text/verdictText.js';

/** A device path (entering archives with `!/`), with `:line` when a line is known. Always text. */
export function DevicePath({ path, line, testId }: { path: string; line?: number | undefined; testId?: string }) {
  return (
    <span className="mono device-path" data-testid={testId}>
      {pathWithLine(path, line)}
    </span>
  );
}
