import type { SecurityDiff } from '../../../../shared/security.js';
import { ReportSection } from '../ReportSection.js';
import { SecurityFindingsSection } from './SecurityFindingsSection.js';
import { BuildFlagsSection, SecurityServicesSection, SelinuxSection, VbmetaSection } from './SecurityTablesSection.js';

/** The Security view: the findings first, then the facts they come from. */
export function SecurityView({ security }: { security: SecurityDiff | undefined }) {
  if (security === undefined) {
    return (
      <ReportSection id="security-findings" title="Security findings">
        <p className="empty">This comparison was made before OTA Lens compared security (schema version 3): compare the packages again to see it.</p>
      </ReportSection>
    );
  }
  return (
    <>
      <SecurityFindingsSection security={security} />
      <BuildFlagsSection flags={security.buildFlags} />
      <SecurityServicesSection services={security.services} />
      <SelinuxSection selinux={security.selinux} />
      <VbmetaSection vbmeta={security.vbmeta} />
    </>
  );
}
