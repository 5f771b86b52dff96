import type { ReactNode } from 'react';
import type { BuildFlag, SecurityDiff, ServiceChange, ServiceFacts, VbmetaFacts } from '../../../../shared/security.js';
import { describeVbmeta } from '../../../../shared/securitySummary.js';
import { EvidenceLink } from '../evidence/EvidenceLink.js';
import { OldToNew } from '../OldToNew.js';
import { ReportSection } from '../ReportSection.js';
import { ValueText } from '../ValueText.js';

interface SideBySideRow {
  key: string;
  old: ReactNode;
  current: ReactNode;
  changed: boolean;
}

/** A table of named rows with the old and the new build side by side. */
function SideBySideTable({ className, heading, rows, rowTestId }: { className: string; heading: string; rows: readonly SideBySideRow[]; rowTestId: string }) {
  return (
    <table className={`data-table ${className}`}>
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          <th scope="col">Old build</th>
          <th scope="col">New build</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} data-testid={rowTestId} className={row.changed ? 'fact-changed' : undefined}>
            <th scope="row" className="mono">
              {row.key}
            </th>
            <td>{row.old}</td>
            <td>{row.current}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The build's security properties on both sides, each value linked to the line that sets it. */
export function BuildFlagsSection({ flags }: { flags: readonly BuildFlag[] }) {
  const value = (side: 'old' | 'new', flag: BuildFlag): ReactNode => {
    const at = side === 'old' ? flag.oldAt : flag.newAt;
    const text = side === 'old' ? flag.old : flag.new;
    return (
      <>
        <ValueText value={text} /> {at !== null && <EvidenceLink side={side} path={at.path} line={at.line} detail={`${flag.name}=${text}`} />}
      </>
    );
  };
  return (
    <ReportSection id="security-flags" title="Build flags" intro="The properties that say how locked down a build is: build type and keys, debuggable, secure adb, verified boot state.">
      {flags.length === 0 ? (
        <p className="empty">Neither build sets any of them.</p>
      ) : (
        <SideBySideTable className="security-flags" heading="Property" rowTestId="security-flag" rows={flags.map((flag) => ({ key: flag.name, old: value('old', flag), current: value('new', flag), changed: flag.old !== flag.new }))} />
      )}
    </ReportSection>
  );
}

function serviceText(facts: ServiceFacts | null, field: 'user' | 'groups' | 'capabilities' | 'seclabel' | 'classes'): string | null {
  if (facts === null) return null;
  const value = facts[field];
  return Array.isArray(value) ? value.join(' ') : value;
}

/** Init services whose user, groups, capabilities, seclabel or class changed; new root services first. */
export function SecurityServicesSection({ services }: { services: readonly ServiceChange[] }) {
  const fields = ['user', 'groups', 'capabilities', 'seclabel', 'classes'] as const;
  return (
    <ReportSection id="security-services" title="Init services" intro="Who each service runs as and with which rights, from the service blocks of init's .rc files. A service that names no user runs as root.">
      {services.length === 0 ? (
        <p className="empty">No service was added or removed, and none changed user, groups, capabilities, seclabel or class.</p>
      ) : (
        <table className="data-table security-services">
          <thead>
            <tr>
              <th scope="col">Service</th>
              {fields.map((field) => (
                <th key={field} scope="col">
                  {field === 'classes' ? 'class' : field}
                </th>
              ))}
              <th scope="col">Declared in</th>
            </tr>
          </thead>
          <tbody>
            {services.map((change) => (
              <tr key={change.name} data-testid="security-service">
                <th scope="row" className="mono">
                  {change.name}
                </th>
                {fields.map((field) => {
                  const old = serviceText(change.old, field);
                  const current = serviceText(change.new, field);
                  return <td key={field}>{old === current ? <ValueText value={current} /> : <OldToNew old={old} current={current} />}</td>;
                })}
                <td>
                  {change.new !== null ? (
                    <EvidenceLink side="new" path={change.new.at.path} line={change.new.at.line} />
                  ) : change.old !== null ? (
                    <EvidenceLink side="old" path={change.old.at.path} line={change.old.at.line} />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ReportSection>
  );
}

/** The SELinux policy of each build in numbers, and the domains whose allow rules changed. */
export function SelinuxSection({ selinux }: { selinux: SecurityDiff['selinux'] }) {
  const side = (name: string, policy: SecurityDiff['selinux']['old']) => (
    <li data-testid={`selinux-${name}`}>
      <strong>{name} build: </strong>
      {policy === null
        ? 'no SELinux policy files.'
        : policy.files.length === 0
          ? `only the precompiled binary policy ${policy.precompiledOnly ?? ''}, which OTA Lens does not read.`
          : `${policy.domains} domains, ${policy.permissive.length === 0 ? 'none permissive' : `permissive: ${policy.permissive.join(', ')}`}; from ${policy.files.join(', ')}.`}
    </li>
  );
  return (
    <ReportSection id="security-selinux" title="SELinux policy" intro="Read from the CIL files init compiles (platform, mappings, system_ext, product, vendor, odm). Allow rules are counted as the compiled policy holds them (sesearch --allow -s DOMAIN).">
      <ul className="plain-list">
        {side('Old', selinux.old)}
        {side('New', selinux.new)}
      </ul>
      {selinux.ruleChanges.length > 0 && (
        <table className="data-table security-rules">
          <thead>
            <tr>
              <th scope="col">Domain</th>
              <th scope="col">Allow rules</th>
            </tr>
          </thead>
          <tbody>
            {selinux.ruleChanges.map((change) => (
              <tr key={change.domain} data-testid="security-rule-change">
                <th scope="row" className="mono">
                  {change.domain}
                </th>
                <td>
                  <OldToNew old={change.old === null ? null : String(change.old)} current={change.new === null ? null : String(change.new)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ReportSection>
  );
}

function vbmetaText(image: VbmetaFacts | undefined): string | null {
  return image === undefined ? null : describeVbmeta(image);
}

/** The AVB vbmeta images of each build and their flags. */
export function VbmetaSection({ vbmeta }: { vbmeta: SecurityDiff['vbmeta'] }) {
  const partitions = [...new Set([...vbmeta.old, ...vbmeta.new].map((image) => image.partition))].sort();
  if (partitions.length === 0) return null;
  const rows = partitions.map((partition) => {
    const old = vbmetaText(vbmeta.old.find((image) => image.partition === partition));
    const current = vbmetaText(vbmeta.new.find((image) => image.partition === partition));
    return { key: partition, old: <ValueText value={old} />, current: <ValueText value={current} />, changed: old !== current };
  });
  return (
    <ReportSection id="security-avb" title="Android Verified Boot" intro="The flags of each vbmeta image's header: with verification or the hashtree disabled, the bootloader or dm-verity no longer checks what it describes.">
      <SideBySideTable className="security-avb" heading="Partition" rowTestId="security-vbmeta" rows={rows} />
    </ReportSection>
  );
}
