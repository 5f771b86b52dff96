// Device nodes, FIFOs and sockets in the comparison's file diff (compare JSON) and the Files view's
// tree (the browser tests show them in the report). Oracle: debugfs, which made the changes and
// reads the device numbers back.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileChange } from '../../shared/model.js';
import { comparePackages } from '../../electron/engine/compare.js';
import { buildChangeTree } from '../../renderer/src/report/files/changeTree.js';
import { debugfsText, specialImagePair, tempDir } from '../support/ext4.js';

const temp = tempDir('file-types');
let oldImage = '';
let newImage = '';
beforeAll(() => {
  ({ oldImage, newImage } = specialImagePair(temp));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** `major:minor` of a device as `debugfs stat` prints it. */
function debugfsDevice(image: string, path: string): { major: number; minor: number } {
  const match = /Device major\/minor number: (\d+):(\d+)/.exec(debugfsText(image, `stat ${path}`));
  if (match === null) throw new Error(`debugfs shows no device numbers for ${path}`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

describe('device nodes, FIFOs and sockets in a comparison', () => {
  it('reports added, removed, renumbered and unchanged special files with their types and numbers', async () => {
    expect(debugfsText(newImage, 'ls -p /dev')).toMatch(/\/01\d{4}\/0\/0\/newpipe\//);
    const result = await comparePackages(oldImage, newImage);
    const under = (changes: readonly FileChange[]): FileChange[] => changes.filter((change) => change.path.startsWith('/system/dev/'));
    expect(under(result.files.added)).toEqual([{ path: '/system/dev/newpipe', oldSize: null, newSize: null, oldSha256: null, newSha256: null, newType: 'fifo' }]);
    expect(under(result.files.removed)).toEqual([{ path: '/system/dev/socket', oldSize: null, newSize: null, oldSha256: null, newSha256: null, oldType: 'socket' }]);
    expect(under(result.files.changed)).toEqual([
      {
        path: '/system/dev/null',
        oldSize: null,
        newSize: null,
        oldSha256: null,
        newSha256: null,
        oldType: 'char-device',
        newType: 'char-device',
        oldDevice: debugfsDevice(oldImage, '/dev/null'),
        newDevice: debugfsDevice(newImage, '/dev/null'),
      },
    ]);
    expect(result.files.unchanged.filter((file) => file.path.startsWith('/system/dev/'))).toEqual([
      { path: '/system/dev/big', size: null, sha256: null, type: 'char-device', device: debugfsDevice(oldImage, '/dev/big') },
      { path: '/system/dev/fifo', size: null, sha256: null, type: 'fifo' },
      { path: '/system/dev/loop0', size: null, sha256: null, type: 'block-device', device: debugfsDevice(oldImage, '/dev/loop0') },
    ]);

    // The Files view's tree keeps the type of unchanged entries too.
    const tree = buildChangeTree(result.files, [], true);
    const big = tree.children.find((node) => node.path === '/system')?.children.find((node) => node.path === '/system/dev')?.children.find((node) => node.path === '/system/dev/big');
    expect(big?.file).toMatchObject({ oldType: 'char-device', newType: 'char-device', newDevice: { major: 300, minor: 70000 } });
  });
});
