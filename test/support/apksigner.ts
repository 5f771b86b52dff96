// `apksigner verify -v --print-certs` as an oracle: whether an APK verifies, which schemes, its
// signers (certificate digest and DN) and its errors, whatever the exit code.
import { spawnSync } from 'node:child_process';
import type { SignatureScheme } from '../../shared/app.js';

export interface ApksignerVerdict {
  verifies: boolean;
  /** Schemes apksigner says it verified with (`Verified using v2 scheme (APK Signature Scheme v2): true`). */
  schemes: Set<SignatureScheme>;
  signers: { certificateSha256: string; subject: string }[];
  /** The ERROR lines, without the `ERROR: ` prefix. */
  errors: string[];
  /** The WARNING lines, without the `WARNING: ` prefix. */
  warnings: string[];
  output: string;
}

export function apksignerVerify(apk: string, options: string[] = []): ApksignerVerdict {
  const env = { ...process.env, JAVA_TOOL_OPTIONS: '-Dfile.encoding=UTF-8 -Dsun.stdout.encoding=UTF-8 -Dstdout.encoding=UTF-8' };
  const run = spawnSync('apksigner', ['verify', '-v', '--print-certs', ...options, apk], { env, encoding: 'utf8' });
  if (run.error !== undefined) throw new Error('apksigner is not installed (CI installs it: see .ci/run)', { cause: run.error });
  const output = `${run.stdout}${run.stderr}`;
  const schemes = new Set<SignatureScheme>();
  for (const match of output.matchAll(/^Verified using (v[1-3](?:\.1)?) scheme \(.*\): true$/gm)) schemes.add(match[1] as SignatureScheme);
  const subjects = new Map<string, string>();
  const digests = new Map<string, string>();
  for (const match of output.matchAll(/^Signer #(\d+) certificate DN: (.*)$/gm)) subjects.set(match[1] ?? '', match[2] ?? '');
  for (const match of output.matchAll(/^Signer #(\d+) certificate SHA-256 digest: ([0-9a-f]{64})$/gm)) digests.set(match[1] ?? '', match[2] ?? '');
  return {
    verifies: /^Verifies$/m.test(output) && run.status === 0,
    schemes,
    signers: [...digests].map(([number, certificateSha256]) => ({ certificateSha256, subject: subjects.get(number) ?? '(no DN printed)' })),
    errors: [...output.matchAll(/^ERROR: (.*)$/gm)].map((match) => match[1] ?? ''),
    warnings: [...output.matchAll(/^WARNING: (.*)$/gm)].map((match) => match[1] ?? ''),
    output,
  };
}
