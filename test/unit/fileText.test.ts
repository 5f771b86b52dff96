import { describe, expect, it } from 'vitest';
import { readFileText } from '../../electron/engine/fileText.js';
import { readFileTextInWorker } from '../../electron/engine/fileTextInWorker.js';
import { InputError } from '../../electron/engine/errors.js';
import { findPreferenceByTitle } from '../e2e/sampleApkOracle.js';
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

  it('gives the same in a worker thread, and its errors as InputErrors', async () => {
    expect(await readFileTextInWorker(SAMPLE_OLD, '/system/etc/hosts')).toEqual({ text: unzipMember(SAMPLE_OLD, 'system/etc/hosts').toString('utf8'), decoded: false });
    await expect(readFileTextInWorker(SAMPLE_OLD, '/system/bin/toolbox')).rejects.toThrow(InputError);
  });
});
