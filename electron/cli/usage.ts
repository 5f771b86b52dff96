export const USAGE = `Usage:
  otalens compare OLD NEW [--json FILE|-] [--html FILE] [--md FILE] [--quiet]
      Compare two packages (file-based OTA zip or unpacked folder). Prints a short
      summary; --json writes the full result (use - for stdout), --html a
      self-contained report, --md a Markdown summary.
  otalens ls PKG [PATH] [--recursive] [--json]
      List a folder of the package's device tree (default /).
  otalens cat PKG PATH
      Write the raw bytes of a file inside the package to stdout.
  otalens --help | --version

Paths inside a package are device paths, e.g. /system/build.prop.
Exit codes: 0 success, 1 usage error, 2 unreadable, unsupported or corrupt input,
3 internal error (a bug: please report it).
`;

/** A mistake in how the command was called (exit code 1). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
