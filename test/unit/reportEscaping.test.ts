import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { escapeHtmlText, escapeInlineScript, serializeJsonForHtml } from '../../electron/report/htmlEscaping.js';

const HOSTILE = '</script><script>alert(1)</script> <!-- <img src=x onerror=alert(2)> & \u2028line\u2029para';

describe('serializeJsonForHtml', () => {
  it('leaves no character that could end or confuse a script element', () => {
    const text = serializeJsonForHtml({ value: HOSTILE, [HOSTILE]: [HOSTILE] });
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
  });

  it('escapes as \\u sequences that JSON.parse turns back into the original value', () => {
    const value = { value: HOSTILE, nested: [HOSTILE, null, 1.5, true], [HOSTILE]: 'key' };
    const text = serializeJsonForHtml(value);
    expect(text).toContain('\\u003c/script\\u003e');
    expect(text).toContain('\\u0026');
    expect(text).toContain('\\u2028');
    expect(text).toContain('\\u2029');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('gives the same text as JSON.stringify when nothing needs escaping', () => {
    const value = { name: 'ro.build.id', old: 'TQ3A.230805.001', new: null };
    expect(serializeJsonForHtml(value)).toBe(JSON.stringify(value));
  });

  it('refuses values that have no JSON form', () => {
    expect(() => serializeJsonForHtml(undefined)).toThrow(TypeError);
  });
});

describe('escapeInlineScript', () => {
  it('breaks up </script and <!-- in any letter case while keeping what the code means', () => {
    const code = 'globalThis.out = ["</script>", "</SCRIPT >", "<!-- x -->", /<\\/script>/.source, `a</ScRiPt`];';
    const escaped = escapeInlineScript(code);
    expect(escaped).not.toMatch(/<\/script/i);
    expect(escaped).not.toContain('<!--');
    const original: { out?: unknown } = {};
    const rewritten: { out?: unknown } = {};
    runInNewContext(code, { globalThis: original });
    runInNewContext(escaped, { globalThis: rewritten });
    expect(rewritten.out).toEqual(original.out);
    expect(rewritten.out).toEqual(['</script>', '</SCRIPT >', '<!-- x -->', '<\\/script>', 'a</ScRiPt']);
  });

  it('leaves code without those sequences unchanged', () => {
    const code = 'const a = 1 < 2 && "<div>"; export { a };';
    expect(escapeInlineScript(code)).toBe(code);
  });
});

describe('escapeHtmlText', () => {
  it('escapes markup and both quote kinds', () => {
    expect(escapeHtmlText(`<b title="x">'&'</b>`)).toBe('&lt;b title=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;');
  });
});
