/**
 * The built-in feature knowledge base: a rules document in the same format users write their own
 * in (shared/featureRules.ts, docs/feature-rules.md). Each feature names the firmware settings that
 * decide whether it is on by default, as patterns over the inventory; verdicts.ts applies them.
 * Patterns are case-insensitive regular expressions (as strings, so this file stays plain data).
 * Keys and names differ between vendors and builds, so titles are matched too.
 * `otalens rules --json` prints it, as a start for a rules file of one's own.
 */
import { FEATURE_RULES_VERSION, type FeatureDefinition, type FeatureRulesDocument, type ValueRule } from './featureRules.js';

export type { FeatureDefinition, FeatureMatcher, ValueRule } from './featureRules.js';

export const BOOLEAN_RULE: ValueRule = { kind: 'boolean' };

export const BUILTIN_FEATURE_RULES: FeatureRulesDocument = {
  otalensFeatureRules: FEATURE_RULES_VERSION,
  features: [
    {
      id: 'cloud-messaging',
      title: 'Mi Cloud Messaging',
      whyItMatters:
        'Sends text messages through the vendor’s servers instead of the carrier, together with the phone number and message metadata. In 2014 it shipped switched on without asking.',
      sources: [
        'F-Secure’s August 2014 test of the Xiaomi Redmi 1S, which saw the phone number and contacts sent to Xiaomi servers',
        'Xiaomi’s August 2014 statement (Hugo Barra) that an OTA update makes MIUI Cloud Messaging opt-in',
        'MIUI Messaging settings: “Mi Cloud Messaging” (also “MIUI Cloud Messaging”, “Mx”, “MiXin” in some builds)',
      ],
      matchers: [
        {
          kind: 'preference',
          packages: ['^com\\.android\\.mms$', '^com\\.xiaomi\\.', '^com\\.miui\\.'],
          keys: ['(^|_)mx(_|$)', 'cloud_?messag', 'mixin', 'xiaomi_?message', 'mi_?message'],
          titles: ['\\b(mi|miui|xiaomi)\\s+cloud\\s+messag', '\\bmixin\\b', '^mx( messaging)?$', 'cloud messaging'],
        },
        { kind: 'code-sdk', categories: ['push-messaging'], packages: ['^com\\.android\\.mms$', '^com\\.xiaomi\\.', '^com\\.miui\\.'] },
      ],
    },
    {
      id: 'usage-statistics',
      title: 'Usage statistics upload',
      whyItMatters: 'Uploads how the phone and its apps are used (app launches, screen time, device details) to the vendor, often under a “user experience programme”.',
      sources: [
        'MIUI “User Experience Program” and “Send diagnostic data automatically” settings',
        'AOSP SettingsProvider defaults and vendor build properties controlling usage-stats upload',
      ],
      matchers: [
        { kind: 'property', names: ['usage_?stat', 'user_?experience', 'analytics', '\\bux_?program'] },
        { kind: 'setting', names: ['usage_?stat', 'user_?experience', 'analytics', 'improvement_?program', 'send_?diagnostic'] },
        { kind: 'preference', titles: ['user experience program', 'usage statistics', 'send usage', 'improvement program', 'diagnostic data', 'usage and diagnostics'] },
        { kind: 'app', packages: ['^com\\.miui\\.analytics$', '^com\\.miui\\.daemon$', '\\.analytics$'], presentMeans: 'unknown' },
        { kind: 'code-sdk', categories: ['vendor-telemetry'] },
      ],
    },
    {
      id: 'crash-reporting',
      title: 'Automatic crash and error reports',
      whyItMatters: 'Crash and error reports can carry logs, app names and device identifiers off the phone.',
      sources: ['MIUI “Automatically send error reports”; Android bug-report and dropbox upload settings'],
      matchers: [
        { kind: 'property', names: ['crash_?report', 'error_?report', 'bug_?report.*upload', 'dropbox.*upload'] },
        { kind: 'setting', names: ['crash_?report', 'error_?report', 'bug_?report', 'send_?action_?app_?error'] },
        { kind: 'preference', titles: ['error report', 'crash report', 'send bug report', 'automatically send .*report'] },
      ],
    },
    {
      id: 'location-consent',
      title: 'Location services',
      whyItMatters: 'Whether location providers (GPS, network location) are enabled before the user agrees, and which apps are granted location without asking.',
      sources: [
        'AOSP SettingsProvider defaults: def_location_providers_allowed, location mode',
        'default-permissions grants of ACCESS_FINE_LOCATION / ACCESS_COARSE_LOCATION',
      ],
      matchers: [
        { kind: 'setting', names: ['^def_location_providers_allowed$'], values: { kind: 'non-empty' } },
        { kind: 'setting', names: ['^def_location_mode$'], values: { kind: 'values', on: ['1', '2', '3'], off: ['0'] } },
        { kind: 'setting', names: ['network_location_opt_in', 'location_consent'] },
        { kind: 'permission-grant', permissions: ['^android\\.permission\\.ACCESS_(FINE|COARSE|BACKGROUND)_LOCATION$'], grantedMeans: 'default-on' },
      ],
    },
    {
      id: 'backup-to-cloud',
      title: 'Backup to the cloud',
      whyItMatters: 'Automatic backups copy messages, contacts, call logs and settings to the vendor’s or Google’s servers.',
      sources: ['AOSP SettingsProvider def_backup_enabled; MIUI / Mi Cloud backup settings'],
      matchers: [
        { kind: 'setting', names: ['^def_backup_enabled$', 'cloud_?backup', 'auto_?backup'] },
        { kind: 'preference', keys: ['cloud_?backup', 'auto_?backup'], titles: ['cloud backup', 'back up to (mi )?cloud', 'automatic backup', 'auto.?backup'] },
      ],
    },
    {
      id: 'find-device',
      title: 'Find device and cloud sync',
      whyItMatters: 'Find-device services report the phone’s location to the vendor; cloud sync copies personal data off the phone continuously.',
      sources: ['Xiaomi “Find device” (com.xiaomi.finddevice); Mi Cloud sync settings; Android master sync default'],
      matchers: [
        { kind: 'preference', keys: ['find_?device', 'cloud_?sync', 'auto_?sync'], titles: ['find (my )?device', 'cloud sync', 'sync automatically', 'auto.?sync'] },
        { kind: 'setting', names: ['find_?device', 'auto_?sync', 'cloud_?sync'] },
        { kind: 'permission-grant', packages: ['finddevice', 'findmy'], permissions: ['LOCATION'], grantedMeans: 'default-on' },
        { kind: 'app', packages: ['^com\\.xiaomi\\.finddevice$', 'finddevice', 'findmydevice'], presentMeans: 'unknown' },
      ],
    },
    {
      id: 'personalised-ads',
      title: 'Personalised ads and recommendations',
      whyItMatters: 'Personalised ads and recommendations build a profile from what is done on the phone.',
      sources: ['MIUI “Personalized ad recommendations” and MSA (MIUI System Ads) settings'],
      matchers: [
        { kind: 'preference', keys: ['personali[sz]ed_?ad', 'ad_?recommend', 'msa'], titles: ['personali[sz]ed ad', 'ad recommendation', 'personali[sz]ed recommendation'] },
        { kind: 'setting', names: ['personali[sz]ed_?ad', 'ad_?tracking', 'ad_?recommend'] },
        { kind: 'property', names: ['personali[sz]ed_?ad', 'ad_?tracking', '\\bmsa\\b'] },
        { kind: 'app', packages: ['^com\\.miui\\.systemAdSolution$', '^com\\.miui\\.msa\\.global$'], presentMeans: 'unknown' },
      ],
    },
  ],
};

export const FEATURES: readonly FeatureDefinition[] = BUILTIN_FEATURE_RULES.features;


/**
 * Words that make a flipped boolean default "worth a look" even when no feature above claims it.
 */
export const PRIVACY_WORDS: readonly string[] = [
  'upload', 'sync', 'cloud', 'analytic', 'stat', 'telemetry', 'report', 'location', 'track', 'diagnostic',
  'experience', '\\bads?\\b', 'advert', 'personali[sz]', 'backup', 'share', 'collect', 'usage', 'feedback', 'improve',
];
