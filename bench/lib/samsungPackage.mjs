// The Samsung-like package bench/open.mjs --kind samsung measures, generated once and kept in the
// bench cache (${XDG_CACHE_HOME:-~/.cache}/otalens-bench/samsung-<key>/), keyed by its parameters:
//   generated tree (generatedTree.mjs) → system.img (mke2fs -t ext4 -d) → super.img (liblp
//   metadata, system_a at 1 MiB, the rest of the partition free) → img2simg (sparse, as Samsung
//   ships super) → lz4 (the CLI's defaults: 4 MiB independent blocks, content checksum) →
//   AP_BENCH.tar (GNU tar, ustar) + its md5sum line = AP_BENCH.tar.md5
// super.img.lz4 is kept next to it, for the lz4 -dc baseline. info.json, written last, has the
// SHA-256 of every file of the tree.
import { execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { geometryBlock, metadataBlob } from '../../scripts/fixtures/build-sparse-super.mjs';
import { cachedInput } from './benchCache.mjs';
import { planTree, writeTree } from './generatedTree.mjs';
import { labelTree } from './treeLabels.mjs';

const GENERATOR_VERSION = 1;
const GiB = 1 << 30;
const MiB = 1 << 20;
const PREFIX = 'samsung-';
const FIXED_TIME = 1_700_000_000;
const UUID = '5a5a5a5a-0000-4000-8000-00000000be7c';

const run = (command, args, options = {}) => execFileSync(command, args, { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20, ...options });

/** The cached Samsung-like package for { sizeGb, files, seed }: { apPath, lz4Path, info, generated }. */
export async function ensureSamsungPackage({ labels = false, ...rest }, { rebuild = false, keepOthers = false, log = console.log } = {}) {
  // Unlabelled packages keep the key they always had.
  const params = labels ? { ...rest, labels } : rest;
  const pathsIn = (dir) => ({ apPath: join(dir, 'AP_BENCH.tar.md5'), lz4Path: join(dir, 'super.img.lz4') });
  const { dir, info, generated } = await cachedInput({ prefix: PREFIX, version: GENERATOR_VERSION, params, rebuild, keepOthers, log, generate: (into) => generate(params, into, pathsIn(into), log) });
  return { ...pathsIn(dir), info, generated };
}

function generate(params, dir, { apPath, lz4Path }, log) {
  const work = mkdtempSync(join(dir, 'work-'));
  const steps = {};
  const step = (name, action) => {
    const started = performance.now();
    const result = action();
    steps[name] = (performance.now() - started) / 1000;
    log(`  ${name}: ${steps[name].toFixed(1)} s`);
    return result;
  };
  try {
    // Real system images are part incompressible (code, media), part text: LZ4 roughly halves them.
    const contentBytes = Math.round(params.sizeGb * GiB);
    const plan = planTree({ seed: params.seed, fileCount: params.files, binaryBytes: Math.round(contentBytes * 0.55), textBytes: Math.round(contentBytes * 0.45) });
    const treeDir = join(work, 'system');
    const tree = step('tree', () => writeTree(treeDir, plan, params.seed));
    log(`    ${Object.keys(tree.hashes).length} files, ${(tree.bytes / 1e6).toFixed(0)} MB`);
    if (params.labels) {
      const labelled = step('setfattr (SELinux labels, capabilities)', () => labelTree(treeDir));
      log(`    ${labelled.labelled} entries labelled, ${labelled.capable} files with capabilities`);
    }

    const systemPath = join(work, 'system.img');
    const systemSize = Math.ceil((tree.bytes * 1.08 + 64 * MiB) / MiB) * MiB;
    step('mke2fs -t ext4 -d', () =>
      run('mke2fs', ['-q', '-t', 'ext4', '-b', '4096', '-O', '^has_journal', '-U', UUID, '-E', `hash_seed=${UUID}`, '-d', treeDir, systemPath, `${systemSize / 1024}K`], { env: { ...process.env, E2FSPROGS_FAKE_TIME: String(FIXED_TIME) } }),
    );
    rmSync(treeDir, { recursive: true, force: true });

    // super.img: 1 MiB of reserved space and metadata, system_a, then free space (Samsung leaves a
    // few hundred MiB free in super for updates).
    const superPath = join(work, 'super.img');
    const superSize = systemSize + MiB + 256 * MiB;
    step('super.img', () => {
      const metadata = {
        minorVersion: 2,
        flags: 1,
        groups: [{ name: 'default' }, { name: 'qti_dynamic_partitions_a', maximumSize: superSize - MiB }, { name: 'qti_dynamic_partitions_b', maximumSize: superSize - MiB }],
        devices: [{ firstLogicalSector: MiB / 512, alignment: MiB, size: superSize, name: 'super' }],
        partitions: [
          { name: 'system_a', group: 'qti_dynamic_partitions_a', extents: [{ sectors: systemSize / 512, type: 0, data: MiB / 512, source: 0 }] },
          { name: 'system_b', group: 'qti_dynamic_partitions_b', extents: [] },
        ],
      };
      const geometry = geometryBlock({ metadataMaxSize: 65536, slotCount: 2, logicalBlockSize: 4096 });
      const blob = metadataBlob(metadata);
      const fd = openSync(superPath, 'w');
      try {
        writeSync(fd, geometry, 0, geometry.length, 4096);
        writeSync(fd, geometry, 0, geometry.length, 8192);
        for (let copy = 0; copy < 4; copy++) writeSync(fd, blob, 0, blob.length, 12288 + copy * 65536);
        writeSync(fd, Buffer.alloc(1), 0, 1, superSize - 1);
      } finally {
        closeSync(fd);
      }
      run('dd', [`if=${systemPath}`, `of=${superPath}`, 'bs=4M', `seek=${MiB}`, 'oflag=seek_bytes', 'conv=notrunc,sparse', 'status=none']);
    });
    rmSync(systemPath);
    const sparsePath = join(work, 'super.simg');
    step('img2simg', () => run('img2simg', [superPath, sparsePath]));
    rmSync(superPath);
    step('lz4', () => run('lz4', ['-q', '-f', sparsePath, lz4Path]));
    const sparseBytes = statSync(sparsePath).size;
    rmSync(sparsePath);
    step('tar + md5sum', () => {
      const tarPath = apPath.replace(/\.md5$/, '');
      run('tar', ['--format=ustar', '--owner=0', '--group=0', '--numeric-owner', `--mtime=@${FIXED_TIME}`, '-C', dir, '-cf', tarPath, 'super.img.lz4']);
      const line = run('md5sum', [tarPath]).toString('utf8').replace(/^([0-9a-f]{32}) {2}.*\//, '$1  ');
      appendFileSync(tarPath, line);
      run('mv', [tarPath, apPath]);
    });
    return {
      params,
      generatorVersion: GENERATOR_VERSION,
      generationSeconds: Object.values(steps).reduce((sum, seconds) => sum + seconds, 0),
      steps,
      apBytes: statSync(apPath).size,
      lz4Bytes: statSync(lz4Path).size,
      sparseBytes,
      superBytes: superSize,
      systemBytes: systemSize,
      contentBytes: tree.bytes,
      fileHashes: tree.hashes,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
