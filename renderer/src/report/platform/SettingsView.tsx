import { useState } from 'react';
import { countOf } from '../../text/format.js';
import { FilterBox } from '../FilterBox.js';
import { PropertiesSection } from '../PropertiesSection.js';
import { GrantsSection } from './GrantsSection.js';
import { InitServicesSection } from './InitServicesSection.js';
import { FlagsSection } from './FlagsSection.js';
import { countPlatformMatches, searchWords, type PlatformDiffs } from './platformSearch.js';
import { SettingsSection } from './SettingsSection.js';
import { SysconfigSection } from './SysconfigSection.js';

/**
 * Settings defaults, permission grants, system configuration, init services and properties, with
 * one search over all of them: a reviewer looking for "location" wants every place it is set.
 */
export function SettingsView({ diffs }: { diffs: PlatformDiffs }) {
  const [query, setQuery] = useState('');
  const words = searchWords(query);
  const { matching, total } = countPlatformMatches(diffs, words);
  return (
    <>
      <div className="view-search">
        <FilterBox
          label="Search settings and properties"
          placeholder="Name, value, package or file, e.g. location"
          testId="platform-filter"
          query={query}
          onQueryChange={setQuery}
          matching={matching}
          totalText={countOf(total, 'entry', 'entries')}
        />
      </div>
      <SettingsSection settings={diffs.settings} words={words} />
      <GrantsSection grants={diffs.permissionGrants} words={words} />
      <SysconfigSection sysconfig={diffs.sysconfig} words={words} />
      <InitServicesSection services={diffs.initServices} words={words} />
      <PropertiesSection properties={diffs.properties} words={words} />
      {diffs.flags !== undefined && <FlagsSection flags={diffs.flags} words={words} />}
    </>
  );
}
