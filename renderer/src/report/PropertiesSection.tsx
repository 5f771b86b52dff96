import { useState } from 'react';
import type { PropertyDiff } from '../../../shared/model.js';
import { countOf } from '../text/format.js';
import { FilterBox } from './FilterBox.js';
import { filterProperties } from './filterProperties.js';
import { PropertyTable } from './PropertyTable.js';

export function PropertiesSection({ properties }: { properties: PropertyDiff }) {
  const [query, setQuery] = useState('');
  const changed = filterProperties(properties.changed, query);
  const added = filterProperties(properties.added, query);
  const removed = filterProperties(properties.removed, query);
  const total = properties.changed.length + properties.added.length + properties.removed.length;
  const matching = changed.length + added.length + removed.length;

  return (
    <section id="properties" className="section" aria-labelledby="properties-heading" data-testid="properties">
      <h2 id="properties-heading">Properties</h2>
      <p className="section-intro">
        The effective value of each property over all property files (<span className="mono">build.prop</span>,{' '}
        <span className="mono">default.prop</span> and the other partitions’ layers); “Set in” names the file whose value wins:{' '}
        {countOf(properties.changed.length, 'changed', 'changed')},{' '}
        {countOf(properties.added.length, 'added', 'added')}, {countOf(properties.removed.length, 'removed', 'removed')}.
      </p>
      <FilterBox
        label="Filter properties"
        placeholder="Name, value or file, e.g. ro.build.version"
        testId="property-filter"
        query={query}
        onQueryChange={setQuery}
        matching={matching}
        totalText={countOf(total, 'property', 'properties')}
      />
      <PropertyTable kind="changed" title="Changed" changes={changed} totalCount={properties.changed.length} />
      <PropertyTable kind="added" title="Added" changes={added} totalCount={properties.added.length} />
      <PropertyTable kind="removed" title="Removed" changes={removed} totalCount={properties.removed.length} />
    </section>
  );
}
