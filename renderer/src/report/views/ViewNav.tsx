import { routeHash, type InspectorView, type ViewId } from './inspectorViews.js';

/** The inspector's views as links; the current one is marked for screen readers and by more than colour. */
export function ViewNav({ views, current }: { views: readonly InspectorView[]; current: ViewId }) {
  return (
    <nav className="view-nav" aria-label="Views of this comparison" data-testid="view-nav">
      <ul>
        {views.map((view) => (
          <li key={view.id}>
            <a href={routeHash({ view: view.id })} aria-current={view.id === current ? 'page' : undefined} data-testid={`view-link-${view.id}`}>
              {view.title}
              {view.count !== null && <span className="count"> ({view.count.toLocaleString('en-US')})</span>}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
