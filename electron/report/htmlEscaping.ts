/**
 * Escaping for the three kinds of text the static report inlines into one HTML file. Firmware
 * content is hostile data: none of it may end an element early or run as code.
 */

const JSON_UNSAFE = /[<>&\u2028\u2029]/g;

/**
 * JSON for a `<script type="application/json">` element. `<`, `>` and `&` become `\u003c` etc.,
 * so no `</script>` or `<!--` can appear and end or confuse the element; U+2028 and U+2029 are
 * escaped too, for the sake of any consumer that evaluates the text as JavaScript. JSON.parse
 * gives back exactly the original value.
 */
export function serializeJsonForHtml(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('serializeJsonForHtml: the value has no JSON form');
  return json.replace(JSON_UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Our own bundled JavaScript for an inline `<script>`. Inside a script element the HTML parser
 * only reacts to `</script` and `<!--`; both can occur only in strings, regular expressions,
 * templates and comments of a module, where `<\/` and `\x3C` mean the same characters.
 */
export function escapeInlineScript(code: string): string {
  const escaped = code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '\\x3C!--');
  if (/<\/script/i.test(escaped) || escaped.includes('<!--')) {
    throw new Error('escapeInlineScript: the script still contains a sequence that would end its element');
  }
  return escaped;
}

/** Our own CSS for an inline `<style>`; it has no escape mechanism, so refuse rather than break the page. */
export function checkInlineStyle(css: string): string {
  if (/<\/style/i.test(css)) throw new Error('checkInlineStyle: the stylesheet contains "</style"');
  return css;
}

const HTML_TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML element or a quoted attribute value. */
export function escapeHtmlText(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_TEXT_ESCAPES[char] ?? char);
}
