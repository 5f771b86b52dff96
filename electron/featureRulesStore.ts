/**
 * The rules file the app remembers (File › Load feature rules…), kept as its path in a small JSON
 * file under the app's user-data folder, like the recent comparisons. The file itself is read again
 * for every run, so an edit to it counts, and checked: a malformed file is reported, never half used.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute } from 'node:path';
import type { FeatureRulesStatus } from '../shared/api.js';
import { FeatureRulesError, mergeFeatureRules, type FeatureDefinition } from '../shared/featureRules.js';
import { FEATURES } from '../shared/features.js';
import { readFeatureRulesFile } from './engine/rules/loadFeatureRules.js';

export interface RulesForRun {
  features: FeatureDefinition[];
  ruleFiles: string[];
}

const NO_RULES_FILE: FeatureRulesStatus = { file: null, features: [], error: null };

export class FeatureRulesStore {
  /** `settingsFile`: where the chosen path is kept; without one nothing is remembered. */
  constructor(private readonly settingsFile: string | undefined) {}

  private async rememberedPath(): Promise<string | null> {
    if (this.settingsFile === undefined) return null;
    try {
      const data: unknown = JSON.parse(await readFile(this.settingsFile, 'utf8'));
      const path = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['path'] : undefined;
      return typeof path === 'string' && isAbsolute(path) ? path : null;
    } catch {
      return null;
    }
  }

  private async store(path: string | null): Promise<void> {
    if (this.settingsFile === undefined) return;
    await mkdir(dirname(this.settingsFile), { recursive: true });
    const temporary = `${this.settingsFile}.tmp`;
    await writeFile(temporary, `${JSON.stringify(path === null ? {} : { path }, null, 2)}\n`, 'utf8');
    await rename(temporary, this.settingsFile);
  }

  /** The rules in use now: the remembered file read and checked again. */
  async status(): Promise<FeatureRulesStatus> {
    const path = await this.rememberedPath();
    if (path === null) return NO_RULES_FILE;
    const file = { path, name: basename(path) };
    try {
      const { features } = await readFeatureRulesFile(path);
      return { file, features: features.map(({ id, title }) => ({ id, title })), error: null };
    } catch (error) {
      if (!(error instanceof FeatureRulesError)) throw error;
      return { file, features: [], error: error.message };
    }
  }

  /** Remembers `path` when it reads (or reports why not, remembering nothing new); resolves the status. */
  async choose(path: string): Promise<FeatureRulesStatus> {
    try {
      const { features } = await readFeatureRulesFile(path);
      await this.store(path);
      return { file: { path, name: basename(path) }, features: features.map(({ id, title }) => ({ id, title })), error: null };
    } catch (error) {
      if (!(error instanceof FeatureRulesError)) throw error;
      return { ...(await this.status()), error: error.message };
    }
  }

  async forget(): Promise<FeatureRulesStatus> {
    await this.store(null);
    return NO_RULES_FILE;
  }

  /** The knowledge base a comparison or timeline applies; throws FeatureRulesError for a remembered file that no longer reads. */
  async forRun(): Promise<RulesForRun> {
    const path = await this.rememberedPath();
    if (path === null) return { features: [...FEATURES], ruleFiles: [] };
    const set = await readFeatureRulesFile(path);
    return { features: mergeFeatureRules(FEATURES, [set]), ruleFiles: [basename(path)] };
  }
}
