// The DEX files of the generated compare benchmark: a few dozen variants assembled once with smali
// (scripts/fixtures/lib/dexTools.mjs), from a few hundred to tens of thousands of strings (about
// 20 KiB to 2.5 MiB of DEX), each with a mix of SDK stand-ins; an app with code picks one. One
// string in a hundred is a URL and one in four hundred a bare host name (a real app's DEX names a
// few hundred servers in tens of thousands of strings), a third are qualified class names, the rest
// messages. What the code analysis costs depends on the DEX sizes, not on which app holds which DEX.
import { mkdirSync } from 'node:fs';
import { assembleDex, sdkClasses } from '../../scripts/fixtures/lib/dexTools.mjs';

/** Strings per DEX size class. */
export const DEX_SIZES = [300, 600, 1200, 2500, 5000, 10_000, 20_000, 40_000];
/** SDK mixes; a changed app moves from mix N to mix N + 1, which adds at least one SDK. */
export const SDK_MIXES = [
  ['firebase-cloud-messaging'],
  ['firebase-cloud-messaging', 'umeng-analytics'],
  ['xiaomi-push'],
  ['xiaomi-push', 'google-firebase-analytics'],
  ['xiaomi-onetrack', 'tencent-bugly'],
];
const STRINGS_PER_CLASS = 500;

/** `size-mix`, the name of a variant. */
export const dexVariantName = (dex) => `dex-${dex.size}-${dex.mix}`;

/** Whether going from mix `from` to mix `to` adds an SDK (the benchmark's code changes all do). */
export function mixAdds(from, to) {
  return SDK_MIXES[to].filter((id) => !SDK_MIXES[from].includes(id));
}

function variantClasses(dex) {
  const count = DEX_SIZES[dex.size];
  const strings = Array.from({ length: count }, (_, index) => {
    if (index % 100 === 0) return `https://api${index}.service${dex.size}.bench-vendor.cn/v${dex.mix}/endpoint/${index}`;
    if (index % 400 === 50) return `log${index}.telemetry${dex.mix}.bench-vendor.com`;
    if (index % 3 === 0) return `com.bench.app.feature${index % 97}.Handler${index}`;
    return `message_${index}_of_variant_${dex.size}_${dex.mix}: tap to continue`;
  });
  const classes = [];
  for (let first = 0; first < strings.length; first += STRINGS_PER_CLASS) {
    classes.push({ name: `com.bench.app.v${dex.size}m${dex.mix}.Class${first / STRINGS_PER_CLASS}`, strings: strings.slice(first, first + STRINGS_PER_CLASS) });
  }
  return [...classes, ...sdkClasses(SDK_MIXES[dex.mix])];
}

/** Assembles each variant DEXES names once into WORK; returns name → bytes. */
export function buildDexVariants(dexes, work) {
  mkdirSync(work, { recursive: true });
  const built = new Map();
  for (const dex of dexes) {
    const name = dexVariantName(dex);
    if (!built.has(name)) built.set(name, assembleDex(variantClasses(dex), work, name));
  }
  return built;
}
