//! The canonical JSON that Remote Settings signs, as Firefox serialises it
//! before checking a collection's content signature
//! (toolkit/modules/CanonicalJSON.sys.mjs, `CanonicalJSON.stringify`):
//!
//! - object keys sorted as JavaScript's `Array.prototype.sort` sorts
//!   strings, by UTF-16 code units; no whitespace anywhere;
//! - strings and keys escaped as `jsesc(s, {json: true, lowercaseHex: true})`
//!   escapes them: `\"` and `\\`, `\b \f \n \r \t`, and every other
//!   character outside printable ASCII (controls, DEL, all non-ASCII) as
//!   `\uXXXX` in lowercase hex, characters beyond the BMP as a surrogate
//!   pair;
//! - numbers as JavaScript's `Number.prototype.toString` prints them
//!   (ECMA-262 section 6.1.6.1.20), `-0` as `-0`.
//!
//! JSON input is parsed by serde_json, which keeps the last of duplicate
//! keys, as `JSON.parse` does.

use serde_json::{Map, Number, Value};

/// The canonical serialisation of `value`.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => write_object(map, out),
    }
}

fn write_object(map: &Map<String, Value>, out: &mut String) {
    let mut keys: Vec<&String> = map.keys().collect();
    // UTF-8 byte order is code point order; JavaScript compares UTF-16 code
    // units, which differs once characters beyond the BMP meet U+E000..U+FFFF.
    keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    out.push('{');
    for (i, key) in keys.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(key, out);
        out.push(':');
        write_value(&map[key], out);
    }
    out.push('}');
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

fn write_number(n: &Number, out: &mut String) {
    // JavaScript holds every number as a double: integers beyond 2^53 are
    // rounded the way JSON.parse rounds them.
    let x = n.as_f64().unwrap_or(f64::NAN);
    out.push_str(&js_number_to_string(x));
}

/// `Number.prototype.toString()` for a finite double (ECMA-262
/// Number::toString with radix 10), except that `-0` keeps its sign as
/// CanonicalJSON keeps it.
pub fn js_number_to_string(x: f64) -> String {
    if x == 0.0 {
        return if x.is_sign_negative() { "-0" } else { "0" }.into();
    }
    if !x.is_finite() {
        // JSON cannot carry these; JSON.stringify would write null.
        return "null".into();
    }
    // Rust's `{:e}` gives the shortest digits that round-trip, as
    // ECMA-262 asks (k as small as possible): "d.ddde±x".
    let sci = format!("{:e}", x.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let k = digits.len() as i32;
    // x = 0.digits × 10^n
    let n = exponent + 1;
    let mut s = String::new();
    if x < 0.0 {
        s.push('-');
    }
    if k <= n && n <= 21 {
        s.push_str(&digits);
        s.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        s.push_str(&digits[..n as usize]);
        s.push('.');
        s.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        s.push_str("0.");
        s.extend(std::iter::repeat_n('0', (-n) as usize));
        s.push_str(&digits);
    } else {
        s.push_str(&digits[..1]);
        if k > 1 {
            s.push('.');
            s.push_str(&digits[1..]);
        }
        s.push('e');
        s.push(if n > 0 { '+' } else { '-' });
        s.push_str(&(n - 1).abs().to_string());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(json: &str) -> String {
        to_string(&serde_json::from_str(json).unwrap())
    }

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        // Expected values are what `String(x)` gives in any JavaScript engine.
        for (x, js) in [
            (1.0, "1"),
            (-5.0, "-5"),
            (0.1, "0.1"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (-2.5e25, "-2.5e+25"),
            (9007199254740994.0, "9007199254740994"),
            (1700000000123.0, "1700000000123"),
            (0.000123, "0.000123"),
            (123.456, "123.456"),
            (-0.0, "-0"),
        ] {
            assert_eq!(js_number_to_string(x), js, "{x:e}");
        }
    }

    #[test]
    fn integers_beyond_two_to_the_53_round_like_json_parse() {
        assert_eq!(canon("12345678901234567890"), "12345678901234567000");
        assert_eq!(canon("1.0"), "1");
    }

    #[test]
    fn keys_sort_by_utf16_code_units() {
        // U+FF5E sorts before U+1F512 in UTF-8 order, after it in UTF-16.
        assert_eq!(
            canon(r#"{"b":1,"a":{"z":[true,null],"Z":false},"～":2,"🔒":3}"#),
            r#"{"a":{"Z":false,"z":[true,null]},"b":1,"\ud83d\udd12":3,"\uff5e":2}"#
        );
    }

    #[test]
    fn strings_escape_as_jsesc_json_mode() {
        assert_eq!(
            canon(r#""q\" b\\ \b\f\n\r\t \u0000\u000b\u001f\u007f é ☃ 🔒 ' ` / <""#),
            r#""q\" b\\ \b\f\n\r\t \u0000\u000b\u001f\u007f \u00e9 \u2603 \ud83d\udd12 ' ` / <""#
        );
    }
}
