// Canonical JSON as Firefox serializes a Remote Settings collection before
// checking its content signature (toolkit/modules/CanonicalJSON.sys.mjs, which
// escapes with jsesc {json: true, lowercaseHex: true}). Written from those
// rules; the signature only verifies if every byte matches, so nothing here is
// a style choice:
// - object keys sorted by UTF-16 code units (JS's default sort, not code
//   points: "\u{1F512}" sorts before "\uFF61");
// - no whitespace; arrays in order, an undefined item becomes null;
// - object members whose value is undefined are dropped;
// - strings: `"` and `\` escaped, \b \f \n \r \t short escapes, every other
//   code unit outside 0x20..0x7E (controls, DEL, non-ASCII, each half of a
//   surrogate pair) as \uXXXX in lowercase hex; `/`, `'` and backtick as is;
// - numbers as JavaScript prints them, except -0, which prints "-0".

export function canonicalJSON(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return String(value);
    case 'number':
      return canonicalNumber(value);
    case 'string':
      return quote(value);
    case 'object':
      if (Array.isArray(value)) {
        return `[${value.map((item) => (item === undefined ? 'null' : canonicalJSON(item))).join(',')}]`;
      }
      return `{${Object.keys(value)
        .sort()
        .filter((key) => value[key] !== undefined)
        .map((key) => `${quote(key)}:${canonicalJSON(value[key])}`)
        .join(',')}}`;
    default:
      throw new TypeError(`canonicalJSON: cannot serialize a ${typeof value}`);
  }
}

function canonicalNumber(n) {
  // Firefox would print NaN and Infinity as null; nothing signed should hold one.
  if (!Number.isFinite(n)) throw new TypeError(`canonicalJSON: cannot serialize ${n}`);
  return Object.is(n, -0) ? '-0' : String(n);
}

const SHORT_ESCAPES = { 0x22: '\\"', 0x5c: '\\\\', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };

function quote(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    if (SHORT_ESCAPES[unit]) out += SHORT_ESCAPES[unit];
    else if (unit >= 0x20 && unit <= 0x7e) out += s[i];
    else out += `\\u${unit.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}
