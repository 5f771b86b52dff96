export const USAGE = `Usage:
  otalens compare OLD NEW [--json FILE|-] [--html FILE] [--md FILE] [--quiet]
                          [--claim FEATURE=STATE]... [--claim KIND:KEY=VALUE]...
                          [--features FILE]...
      Compare two packages: which privacy-relevant defaults changed, with evidence,
      and every app, permission, setting, property, flag and file that changed.
      Prints a short summary; --json writes the full result (use - for stdout),
      --html a self-contained report, --md a Markdown summary. --claim checks a
      claim about the new build, e.g. --claim cloud-messaging=opt-in (STATE:
      default-on, opt-in, absent), or about any key: pref:KEY=off (or
      pref:PACKAGE/KEY=on), setting:NAME=VALUE, prop:NAME=VALUE,
      flag:NAME=enabled (VALUE may be absent). --features adds or overrides
      feature rules from a JSON or YAML file (docs/feature-rules.md). OLD and NEW
      may be packages or saved inventories.
  otalens inventory PKG [--json] [-o FILE] [--quiet]
      Everything OTA Lens reads from one package: apps, property layers, settings
      defaults with overlays, permission grants, sysconfig, init services, flags,
      files. --json prints it as a saved inventory; -o FILE writes one (gzip for a
      .gz name, zstd for .zst) that compare and timeline read instead of PKG.
  otalens timeline A B C... [--keep-order] [--claim KIND:KEY=VALUE]...
                            [--features FILE]... [--json FILE|-] [--md FILE]
                            [--html FILE] [--quiet]
      Every feature, and each claimed key, across builds (packages or saved
      inventories): its state in each build and where it changed. The builds are
      ordered by build date (ro.build.date.utc) unless --keep-order.
  otalens rules [--features FILE]... [--json | --yaml]
      The feature rules a comparison applies, the files given checked; --json or
      --yaml prints them as a rules file to start one's own from.
  otalens info PKG [--json]
      The package's kind, build fingerprint, Android version, security patch,
      OTA metadata and partitions.
  otalens ls PKG [PATH] [--recursive] [--long] [--json]
      List a folder of the package's device tree (default /). --long adds each
      entry's mode, owner:group, SELinux label and file capabilities (--json
      always has them, where the package records them).
  otalens cat PKG PATH [--decode]
      Write the raw bytes of a file inside the package to stdout; with --decode,
      binary XML (manifests, res/xml files) is printed as readable XML.
  otalens extract PKG --partition NAME -o FILE [--quiet]
  otalens extract PKG PATH -o DIR [--quiet]
      Write one partition image (after sparse, payload or super decoding) to a
      new FILE, or the device tree below PATH (a file, a folder, or / for all)
      into DIR, as DIR/<last name of PATH>/…, symbolic links kept as links.
      Never overwrites a file and never writes through a link; what could not
      be written is listed on stderr (exit 2 when nothing could be).
  otalens apk APK [--json]
  otalens apk PKG PATH [--json]
      An app's package facts, permissions (implied ones with their reason),
      components, preference defaults and signers, each verified as apksigner
      verifies it, from an APK file or one inside a package (there, also whether
      it holds the platform key of the package's framework-res.apk).
  otalens --help | --version

Paths inside a package are device paths, e.g. /system/build.prop; !/ enters an
archive such as an APK: /system/app/Mms/Mms.apk!/AndroidManifest.xml. An APK is
a package too: otalens ls X.apk, otalens cat X.apk AndroidManifest.xml --decode.
Name bytes that are not UTF-8 are written \\xNN and a real backslash \\\\, in
output and in the paths you give: /system/media/bad-\\xff.txt.
Exit codes: 0 success, 1 usage error, 2 unreadable, unsupported or corrupt input,
3 internal error (a bug: please report it).
`;

/** A mistake in how the command was called (exit code 1). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
