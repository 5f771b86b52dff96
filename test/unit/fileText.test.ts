import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileText } from '../../electron/engine/fileText.js';
import { readFileTextInWorker } from '../../electron/engine/fileTextInWorker.js';
import { InputError } from '../../electron/engine/errors.js';
import { findPreferenceByTitle } from '../e2e/sampleApkOracle.js';
import { specialFactoryZip } from '../support/ext4.js';
import { expectInputError } from '../support/inputError.js';
import { SAMPLE_NEW, SAMPLE_OLD, unzipMember } from '../support/oracles.js';

describe('readFileText: one file of a package, as people read it', () => {
  it('gives a text file byte for byte as unzip extracts it', async () => {
    for (const zip of [SAMPLE_OLD, SAMPLE_NEW]) {
      expect(await readFileText(zip, '/system/build.prop')).toEqual({ text: unzipMember(zip, 'system/build.prop').toString('utf8'), decoded: false });
    }
  });

  it('decodes binary XML inside an APK, with the preference aapt reads in it', async () => {
    const truth = findPreferenceByTitle(SAMPLE_NEW, 'Mms.apk', /^Mi Cloud Messaging$/);
    if (truth === null) throw new Error('oracle: the sample SMS app has no Mi Cloud Messaging preference');
    const file = await readFileText(SAMPLE_NEW, truth.path);
    expect(file.decoded).toBe(true);
    expect(file.text).toContain(`android:key="${truth.key}"`);
  });

  it('refuses a binary file, a folder and a missing file, each saying which', async () => {
    const toolbox = unzipMember(SAMPLE_NEW, 'system/bin/toolbox');
    expect(toolbox.subarray(0, 8192).includes(0), 'the sample toolbox is binary').toBe(true);
    await expect(readFileText(SAMPLE_NEW, '/system/bin/toolbox')).rejects.toThrow(/system\/bin\/toolbox: a binary file: there is no text to show/);
    await expect(readFileText(SAMPLE_NEW, '/system/etc')).rejects.toThrow(/a folder, not a file/);
    await expect(readFileText(SAMPLE_NEW, '/system/nothing-here')).rejects.toThrow(InputError);
    await expect(readFileText(SAMPLE_NEW, '/system/nothing-here')).rejects.toThrow(/sample-new\.zip: \/system\/nothing-here: no such file in the package/);
  });

  it('says a file is in a partition that could not be read, and what a device node is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otalens-filetext-'));
    try {
      const { packagePath } = specialFactoryZip(dir);
      await expect(readFileText(packagePath, '/vendor/build.prop')).rejects.toThrow(/the \/vendor partition could not be read, so nothing in it can be shown \(.*no ext4 or EROFS file system found/);
      await expect(readFileText(packagePath, '/system/dev/null')).rejects.toThrow(/\/system\/dev\/null: a character device 1:3, not a file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the package and where it broke for a truncated package and for binary XML cut short', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otalens-filetext-'));
    try {
      const truncated = join(dir, 'truncated.zip');
      writeFileSync(truncated, readFileSync(SAMPLE_NEW).subarray(0, 1500));
      const cut = await expectInputError(readFileText(truncated, '/system/build.prop'));
      expect(cut.message).toMatch(/^truncated\.zip: zip at offset 1500: /);
      // An AXML header (chunk type 3, header size 8) that declares 4 KiB but stops after 16 bytes.
      mkdirSync(join(dir, 'folder', 'system', 'etc'), { recursive: true });
      const header = Buffer.alloc(16);
      header.writeUInt16LE(0x0003, 0);
      header.writeUInt16LE(8, 2);
      header.writeUInt32LE(4096, 4);
      writeFileSync(join(dir, 'folder', 'system', 'etc', 'cut.xml'), header);
      const axml = await expectInputError(readFileText(join(dir, 'folder'), '/system/etc/cut.xml'));
      expect(axml.message).toContain('/system/etc/cut.xml');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the same in a worker thread, and its errors as InputErrors', async () => {
    expect(await readFileTextInWorker(SAMPLE_OLD, '/system/etc/hosts')).toEqual({ text: unzipMember(SAMPLE_OLD, 'system/etc/hosts').toString('utf8'), decoded: false });
    await expect(readFileTextInWorker(SAMPLE_OLD, '/system/bin/toolbox')).rejects.toThrow(InputError);
  });
});
