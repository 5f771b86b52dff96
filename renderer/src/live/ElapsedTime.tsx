import { useEffect, useState } from 'react';
import { formatElapsed } from './progressText.js';

/** Seconds since `startedAt` (a Date.now() value), refreshed while shown. */
export function ElapsedTime({ startedAt }: { startedAt: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, []);
  return <span data-testid="elapsed">{formatElapsed(now - startedAt)}</span>;
}
