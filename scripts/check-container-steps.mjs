// Runs the Dockerfile's steps without a container engine, in a clean folder, so they are checked
// where no engine answers (.ci/run does this then; see docs/batch.md):
//   1. the build context: the committed files (git archive HEAD) less what .dockerignore leaves out;
//   2. the build stage: its ENV, WORKDIR, COPY and RUN lines in order (RUN through `sh -c`);
//   3. the runtime stage: its COPY --from=build paths into a fresh folder, then the CLI from there:
//      `otalens --version` and an inventory of the sample package, which proves the production
//      node_modules are enough.
// It reads the Dockerfile itself, so it cannot drift from it. Needs git, tar, node and npm (the
// registry or npm's cache for `npm ci`).
//
//   node scripts/check-container-steps.mjs [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'otalens-container-steps-'));

/** Dockerfile instructions, continuation lines joined, comments dropped, split by stage. */
function stages(text) {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const result = [];
  for (const line of lines) {
    const [instruction, ...rest] = line.split(/\s+/);
    const entry = { instruction: instruction.toUpperCase(), argument: rest.join(' ') };
    if (entry.instruction === 'FROM') result.push({ from: entry.argument, steps: [] });
    else result.at(-1)?.steps.push(entry);
  }
  return result;
}

/** ENV a=b c=d (or ENV a b) → pairs. */
function envPairs(argument) {
  if (!argument.includes('=')) {
    const [name, ...value] = argument.split(/\s+/);
    return [[name, value.join(' ')]];
  }
  return [...argument.matchAll(/(\w+)=("[^"]*"|\S+)/g)].map(([, name, value]) => [name, value.replace(/^"|"$/g, '')]);
}

function run(command, cwd, env) {
  console.log(`$ ${command}`);
  const result = spawnSync('sh', ['-c', command], { cwd, env, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`step failed (${result.status ?? result.signal}): ${command}`);
}

try {
  // 1. The context.
  const context = join(work, 'context');
  mkdirSync(context);
  execFileSync('sh', ['-c', `git -C "${repo}" archive HEAD | tar -x -C "${context}"`]);
  for (const pattern of readFileSync(join(repo, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'))) {
    if (pattern.includes('*')) {
      const suffix = pattern.replace(/^\*/, '');
      execFileSync('find', [context, '-name', `*${suffix}`, '-delete']);
    } else rmSync(join(context, pattern), { recursive: true, force: true });
  }
  const [build, runtime] = stages(readFileSync(join(repo, 'Dockerfile'), 'utf8'));
  if (build === undefined || runtime === undefined || !/^node:20\b/.test(build.from)) throw new Error('expected a Node 20 build stage and a runtime stage');

  // 2. The build stage.
  const root = join(work, 'build');
  let cwd = root;
  const env = { ...process.env };
  for (const { instruction, argument } of build.steps) {
    if (instruction === 'WORKDIR') {
      cwd = join(root, argument);
      mkdirSync(cwd, { recursive: true });
    } else if (instruction === 'ENV') {
      for (const [name, value] of envPairs(argument)) env[name] = value;
    } else if (instruction === 'COPY') {
      const parts = argument.split(/\s+/);
      const destination = resolve(cwd, parts.pop());
      for (const source of parts) cpSync(join(context, source), source === '.' ? destination : join(destination, source), { recursive: true });
    } else if (instruction === 'RUN') run(argument, cwd, env);
  }

  // 3. The runtime stage: only what it copies from the build stage.
  const image = join(work, 'image');
  let imageDir = image;
  for (const { instruction, argument } of runtime.steps) {
    if (instruction === 'WORKDIR' && imageDir === image) imageDir = join(image, argument);
    if (instruction !== 'COPY') continue;
    const match = /^--from=build\s+(\S+)\s+(\S+)$/.exec(argument);
    if (match === null) throw new Error(`unexpected COPY in the runtime stage: ${argument}`);
    const [, from, to] = match;
    cpSync(join(root, from), resolve(imageDir, to), { recursive: true, verbatimSymlinks: true });
  }
  const cli = join(imageDir, 'bin', 'otalens');
  if (!existsSync(cli)) throw new Error('the runtime stage has no bin/otalens');
  run(`node "${cli}" --version`, work, process.env);
  run(`node "${cli}" inventory "${join(repo, 'samples', 'sample-new.zip')}" --json -o "${join(work, 'sample.json.gz')}" && node "${cli}" compare "${join(work, 'sample.json.gz')}" "${join(repo, 'samples', 'sample-old.zip')}" --quiet --md "${join(work, 'sample.md')}"`, work, process.env);
  console.log(`the Dockerfile's steps work in a clean folder${keep ? ` (kept in ${work})` : ''}`);
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}
