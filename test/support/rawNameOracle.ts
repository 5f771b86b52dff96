// The documented escaping of raw name bytes into device paths (README, "Names that are not UTF-8"),
// written independently in Python: UTF-8 decoding with `surrogateescape`, then each escaped byte,
// backslash, control and bidi character spelled out. Tests paste PYTHON_ESCAPE into their scripts.
import { tool } from './ext4.js';

/** `escape(raw: bytes, is_name: bool) -> str` */
export const PYTHON_ESCAPE = `
def escape(raw, is_name=True):
    text = raw.decode('utf-8', 'surrogateescape')
    out = []
    for index, char in enumerate(text):
        code = ord(char)
        if 0xdc80 <= code <= 0xdcff: out.append('\\\\x%02x' % (code - 0xdc00))
        elif char == '\\\\': out.append('\\\\\\\\')
        elif code < 0x20 or code == 0x7f or (is_name and char == '/'): out.append('\\\\x%02x' % code)
        elif 0x80 <= code <= 0x9f or 0x202a <= code <= 0x202e or 0x2066 <= code <= 0x2069: out.append(''.join('\\\\x%02x' % b for b in char.encode('utf-8')))
        elif is_name and char == '!' and index == len(text) - 1: out.append('\\\\x21')
        else: out.append(char)
    return ''.join(out)
`;

/** Python's escaping of each byte string, as a name (`/` escaped) or as a link target. */
export function pythonEscape(names: readonly Buffer[], isName: boolean): string[] {
  const script = `${PYTHON_ESCAPE}
import json, sys
spec = json.load(sys.stdin)
print(json.dumps([escape(bytes.fromhex(h), spec['name']) for h in spec['items']]))
`;
  const input = JSON.stringify({ name: isName, items: names.map((name) => name.toString('hex')) });
  return JSON.parse(tool('python3', ['-c', script], { input }).toString('utf8')) as string[];
}
