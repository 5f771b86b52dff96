import type { PropertyChange, PropertyDiff } from '../../../shared/model.js';
import { countOf } from '../text/format.js';
import { matchesWords, propertyTexts } from './platform/platformSearch.js';
import { PropertyTable } from './PropertyTable.js';

export function PropertiesSection({ properties, words }: { properties: PropertyDiff; words: readonly string[] }) {
  const kept = (changes: readonly PropertyChange[]) => changes.filter((change) => matchesWords(propertyTexts(change), words));
  const changed = kept(properties.changed);
  const added = kept(properties.added);
  const removed = kept(properties.removed);

  return (
    <section id="properties" className="section" aria-labelledby="properties-heading" data-testid="properties">
      <h2 id="properties-heading">Properties</h2>
      <p className="section-intro">
        The effective value of each property over all property files (<span className="mono">build.prop</span>,{' '}
        <span className="mono">default.prop</span> and the other partitions’ layers); “Set in” names the file whose value wins:{' '}
        {countOf(properties.changed.length, 'changed', 'changed')},{' '}
        {countOf(properties.added.length, 'added', 'added')}, {countOf(properties.removed.length, 'removed', 'removed')}.
      </p>
      <PropertyTable kind="changed" title="Changed" changes={changed} totalCount={properties.changed.length} />
      <PropertyTable kind="added" title="Added" changes={added} totalCount={properties.added.length} />
      <PropertyTable kind="removed" title="Removed" changes={removed} totalCount={properties.removed.length} />
    </section>
  );
}
