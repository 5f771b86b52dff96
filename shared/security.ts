/**
 * The security posture of a build and what changed between two: file modes and capabilities,
 * SELinux policy, init services, build flags and AVB. Pure types (the diff is in securityDiff.ts).
 */

/** A line of a file of the build (device path, or a package member such as the updater-script). */
export interface SourceLine {
  path: string;
  /** 1-based. */
  line: number;
}

/** One SELinux domain (a member of the `domain` attribute) of the build's policy. */
export interface SelinuxDomain {
  name: string;
  /** Where `(type NAME)` stands. */
  definedAt: SourceLine | null;
  /** Where `(typepermissive NAME)` stands: the kernel only logs what the domain is denied. Null when enforcing. */
  permissive: SourceLine | null;
  /**
   * Allow rules that apply to the domain, counted as the compiled policy holds them (and as
   * `sesearch --allow -s NAME` lists them): one per source (the domain or an attribute that
   * holds it), target and class, permissions of equal ones merged; `self` counts as the domain.
   */
  allowRules: number;
}

/** One allow rule as the compiled policy holds it: source and target as written (`self` resolved), permissions merged. */
export interface SelinuxRule {
  source: string;
  target: string;
  class: string;
  permissions: string[];
  /** Whether untrusted_app is (in) the source: the rule grants installed apps access; otherwise it grants access to them. */
  fromUntrustedApp: boolean;
  /** The first allow statement that grants it. */
  at: SourceLine;
}

/** The build's SELinux policy, read from its CIL files. */
export interface SelinuxPolicy {
  /** The CIL files read and merged, as init compiles them (platform, mappings, system_ext, product, vendor, odm). */
  files: string[];
  /** A precompiled binary policy (`precompiled_sepolicy`, `/sepolicy`) found when there is no CIL; OTA Lens does not read it. */
  precompiledOnly: string | null;
  /** Every domain, sorted by name. */
  domains: SelinuxDomain[];
  /** Allow rules whose source or target includes `untrusted_app` (the domain of ordinary installed apps), sorted. */
  untrustedAppRules: SelinuxRule[];
}

/** An AVB vbmeta image's header (libavb avb_vbmeta_image.h). */
export interface VbmetaFacts {
  /** Partition name: `vbmeta`, `vbmeta_system`, … */
  partition: string;
  /** The header's flags word. */
  flags: number;
  /** AVB_VBMETA_IMAGE_FLAGS_HASHTREE_DISABLED (1): dm-verity is off for the partitions it covers. */
  hashtreeDisabled: boolean;
  /** AVB_VBMETA_IMAGE_FLAGS_VERIFICATION_DISABLED (2): nothing it describes is verified. */
  verificationDisabled: boolean;
  /** The signing algorithm's number (0 NONE: unsigned), e.g. 1 SHA256_RSA2048. */
  algorithm: number;
  rollbackIndex: number;
  /** `release_string`, e.g. `avbtool 1.2.0`. */
  release: string;
}

/** Security facts of one build beyond its files, services and properties (which the inventory has anyway). */
export interface SecurityInventory {
  /** Null when the build has no SELinux policy files at all. */
  selinux: SelinuxPolicy | null;
  vbmeta: VbmetaFacts[];
}

/** What kind of finding; the order of this list is the order of seriousness. */
export type SecurityFindingKind =
  | 'setuid-added'
  | 'domain-permissive'
  | 'capabilities-gained'
  | 'build-flag'
  | 'avb-disabled'
  | 'root-service'
  | 'untrusted-app-rule'
  | 'world-writable'
  | 'domain-added'
  | 'service-changed'
  | 'executable-changed'
  | 'domain-rules'
  | 'setuid-removed'
  | 'capabilities-lost'
  | 'domain-enforcing'
  | 'service-removed'
  | 'domain-removed';

/** Where a finding's evidence is, on one side, with what was found there. */
export interface SecurityEvidence {
  side: 'old' | 'new';
  /** Device path, or a package member (`META-INF/com/google/android/updater-script`), or `/<partition>` for a vbmeta image. */
  path: string;
  line?: number;
  detail: string;
}

export interface SecurityFinding {
  kind: SecurityFindingKind;
  /** `serious`: weakens the device (listed first, and in the CLI and Markdown summaries); `notable`: worth a look; `info`: tightening or bookkeeping. */
  severity: 'serious' | 'notable' | 'info';
  /** What it is about: a device path, a domain, a service or a property. */
  subject: string;
  /** One plain sentence. */
  summary: string;
  evidence: SecurityEvidence[];
}

/** A property that says how locked down a build is, on both sides (absent properties are null). */
export interface BuildFlag {
  name: string;
  old: string | null;
  new: string | null;
  oldAt: SourceLine | null;
  newAt: SourceLine | null;
}

/** An init service's security-relevant options on one side. */
export interface ServiceFacts {
  name: string;
  /** The executable (first word of the command). */
  executable: string;
  /** `user`; init runs a service as root when it names none. */
  user: string;
  groups: string[];
  capabilities: string[];
  seclabel: string | null;
  classes: string[];
  at: SourceLine;
}

export interface ServiceChange {
  name: string;
  old: ServiceFacts | null;
  new: ServiceFacts | null;
}

/** A domain whose allow-rule count changed (or that is new or gone: the other side null). */
export interface DomainRuleChange {
  domain: string;
  old: number | null;
  new: number | null;
}

/** The `security` section of a comparison. */
export interface SecurityDiff {
  /** Every finding, most serious first. */
  findings: SecurityFinding[];
  buildFlags: BuildFlag[];
  /** Services added, removed or changed in user, groups, capabilities, seclabel or class (new root services first). */
  services: ServiceChange[];
  selinux: {
    old: SelinuxPolicySummary | null;
    new: SelinuxPolicySummary | null;
    /** Domains whose allow-rule count changed, sorted by name. */
    ruleChanges: DomainRuleChange[];
  };
  vbmeta: { old: VbmetaFacts[]; new: VbmetaFacts[] };
  /** How many entries changed mode, owner, label or capabilities in all (the findings name the ones that matter). */
  metadataChanges: number;
}

/** A policy in numbers, for the overview. */
export interface SelinuxPolicySummary {
  files: string[];
  precompiledOnly: string | null;
  domains: number;
  permissive: string[];
}
