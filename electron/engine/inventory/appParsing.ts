import type { AppModel } from '../../../shared/app.js';
import { readApkDetails } from '../android/apkReader.js';
import { defaultConfigValues, type NamedResourceValue } from '../android/resourceValues.js';
import { InputError } from '../errors.js';
import type { ByteSource } from '../io/byteSource.js';
import { ZipArchive } from '../zip/zipArchive.js';

export const SETTINGS_PROVIDER = 'com.android.providers.settings';
const SETTING_DEFAULT = /^def_/;

/** What the inventory keeps of one APK: the model, its settings resources, its decoded XML. */
export interface AppParseResult {
  app: AppModel | null;
  /** Why the APK could not be read, when `app` is null. */
  error: string | null;
  /** SettingsProvider's `def_*` resources, or every resource of an overlay that targets it. */
  resourceValues: [string, NamedResourceValue][] | null;
  /** Decoded manifest and preference XML by member name, for line diffs. */
  xmlTexts: [string, string][];
}

export interface AppParseOptions {
  /** Read the code layer (DEX, servers in resources and XML); default true. */
  code?: boolean;
}

/** Reads one APK (or APEX) from `source`, which it closes. Unreadable input becomes `error`. */
export async function parseApp(source: ByteSource, devicePath: string, options: AppParseOptions = {}): Promise<AppParseResult> {
  let zip: ZipArchive | null = null;
  try {
    zip = await ZipArchive.open(source);
    const reading = await readApkDetails(zip, { file: devicePath }, { code: options.code ?? true });
    const { app, resources } = reading;
    let resourceValues: AppParseResult['resourceValues'] = null;
    if (resources !== null && app.package === SETTINGS_PROVIDER) resourceValues = [...defaultConfigValues(resources, (name) => SETTING_DEFAULT.test(name))];
    else if (resources !== null && app.overlay?.targetPackage === SETTINGS_PROVIDER) resourceValues = [...defaultConfigValues(resources, () => true)];
    return { app, error: null, resourceValues, xmlTexts: [...reading.xmlTexts] };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { app: null, error: error.message, resourceValues: null, xmlTexts: [] };
  } finally {
    if (zip !== null) await zip.close();
    else await source.close();
  }
}
