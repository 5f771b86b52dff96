import { useCallback, useEffect, useState } from 'react';
import { parseRoute, type InspectorRoute, type InspectorView } from './inspectorViews.js';

/**
 * The route lives in the address's `#…`, so Back and Forward move between views and an app's
 * detail, and a saved report opens where a link points. `navigated` counts the changes made after
 * the first load: focus moves only on those, never when the page opens.
 */
export function useInspectorRoute(views: readonly InspectorView[]): { route: InspectorRoute; navigated: number } {
  const read = useCallback(() => parseRoute(window.location.hash, views), [views]);
  const [state, setState] = useState(() => ({ route: read(), navigated: 0 }));
  useEffect(() => {
    const onHashChange = () => setState((current) => ({ route: read(), navigated: current.navigated + 1 }));
    window.addEventListener('hashchange', onHashChange);
    setState((current) => ({ route: read(), navigated: current.navigated }));
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [read]);
  return state;
}
