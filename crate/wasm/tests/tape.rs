//! The tape that carries results to JavaScript (`tape`), held to what it
//! stands in for: serde-wasm-bindgen's `json_compatible()` values, the same
//! keys in the same order, for hand-made values and for the verdict of every
//! vector of the engine's ladder set. Runs in Node.
#![cfg(target_arch = "wasm32")]

#[path = "../../engine/tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;

use js_sys::{Array, Object, Reflect, JSON};
use revoscope::verify::RustCrypto;
use revoscope_wasm::tape::to_js;
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test as test;

fn reference<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap()
}

fn text(value: &JsValue) -> String {
    JSON::stringify(value).unwrap().into()
}

fn crosses_as_reference<T: Serialize>(value: &T) {
    let got = to_js(value).unwrap();
    assert_eq!(text(&got), text(&reference(value)));
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).unwrap()
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
enum Label {
    NotListed,
    Good,
}

#[derive(Serialize)]
enum Shape {
    Unit,
    Newtype(u8),
    Tuple(u8, String),
    Struct { side: f64, name: Option<String> },
}

#[derive(Serialize)]
struct Unit;

#[derive(Serialize)]
struct Wrapped(u32);

#[derive(Serialize)]
struct Flat {
    kind: &'static str,
}

#[derive(Serialize)]
struct Everything {
    yes: bool,
    no: bool,
    small: i8,
    negative: i64,
    large: u64,
    float: f32,
    double: f64,
    letter: char,
    text: String,
    bytes: serde_bytes_like::Bytes,
    none: Option<u8>,
    some: Option<u8>,
    unit: (),
    unit_struct: Unit,
    wrapped: Wrapped,
    labels: Vec<Label>,
    shapes: Vec<Shape>,
    pair: (u8, &'static str),
    by_label: BTreeMap<&'static str, Vec<u16>>,
    by_enum: BTreeMap<LabelKey, u8>,
    empty_list: Vec<u8>,
    empty_map: BTreeMap<String, u8>,
    #[serde(flatten)]
    flat: Flat,
}

#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
enum LabelKey {
    LiveOcsp,
    Onecrl,
}

/// `serialize_bytes`, which no derive calls for a `Vec<u8>`.
mod serde_bytes_like {
    pub struct Bytes(pub Vec<u8>);
    impl serde::Serialize for Bytes {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(&self.0)
        }
    }
}

fn everything() -> Everything {
    Everything {
        yes: true,
        no: false,
        small: -7,
        negative: -9_007_199_254_740_991,
        large: 9_007_199_254_740_991,
        float: 1.5,
        double: 0.1,
        letter: 'ß',
        text: "plain".into(),
        bytes: serde_bytes_like::Bytes(vec![0, 1, 255]),
        none: None,
        some: Some(3),
        unit: (),
        unit_struct: Unit,
        wrapped: Wrapped(42),
        labels: vec![Label::NotListed, Label::Good, Label::NotListed],
        shapes: vec![
            Shape::Unit,
            Shape::Newtype(1),
            Shape::Tuple(2, "two".into()),
            Shape::Struct {
                side: -0.5,
                name: None,
            },
        ],
        pair: (9, "nine"),
        by_label: [("a", vec![1, 2]), ("b", vec![])].into_iter().collect(),
        by_enum: [(LabelKey::LiveOcsp, 1), (LabelKey::Onecrl, 2)]
            .into_iter()
            .collect(),
        empty_list: vec![],
        empty_map: BTreeMap::new(),
        flat: Flat { kind: "flattened" },
    }
}

#[test]
fn every_serde_shape_crosses_as_serde_wasm_bindgen_makes_it() {
    // Twice: the second tape names its keys and variants by number only.
    crosses_as_reference(&everything());
    crosses_as_reference(&everything());
    let got = to_js(&everything()).unwrap();
    assert!(get(&got, "none").is_null() && get(&got, "unit").is_null());
    assert!(Array::is_array(&get(&got, "bytes")));
    assert_eq!(get(&got, "by_enum").js_typeof(), "object");
}

#[test]
fn strings_beyond_ascii_keep_their_places() {
    let strings = vec![
        "ascii".to_string(),
        "é".into(),
        "日本語のテキスト".into(),
        "an emoji 😀 between".into(),
        String::new(),
        "😀".into(),
        "after".into(),
        "CN=Bücher GmbH,O=Ünïcödé".into(),
    ];
    crosses_as_reference(&strings);
    let got: Array = to_js(&strings).unwrap().into();
    for (i, s) in strings.iter().enumerate() {
        assert_eq!(got.get(i as u32).as_string().as_deref(), Some(s.as_str()));
    }
    let keyed: BTreeMap<String, String> = strings.iter().map(|s| (s.clone(), s.clone())).collect();
    crosses_as_reference(&keyed);
}

#[test]
fn numbers_beyond_javascripts_safe_integers_are_refused() {
    const MAX_SAFE: u64 = (1 << 53) - 1;
    assert_eq!(to_js(&MAX_SAFE).unwrap().as_f64(), Some(MAX_SAFE as f64));
    assert_eq!(
        to_js(&-(MAX_SAFE as i64)).unwrap().as_f64(),
        Some(-(MAX_SAFE as f64))
    );
    for refused in [
        to_js(&(MAX_SAFE + 1)),
        to_js(&-(MAX_SAFE as i64 + 1)),
        to_js(&u64::MAX),
    ] {
        let message = refused.unwrap_err().to_string();
        assert!(
            message.contains("can't be represented as a JavaScript number"),
            "{message}"
        );
    }
    assert!(to_js(&1u128).is_err());
}

#[test]
fn nan_infinity_and_negative_zero_stay_what_they_are() {
    let got: Array = to_js(&[f64::NAN, f64::INFINITY, -0.0, f64::MIN_POSITIVE])
        .unwrap()
        .into();
    let want: Array = reference(&[f64::NAN, f64::INFINITY, -0.0, f64::MIN_POSITIVE]).into();
    for i in 0..4 {
        assert!(Object::is(&got.get(i), &want.get(i)), "item {i}");
    }
}

#[test]
fn a_map_key_named_proto_is_an_own_property_not_the_prototype() {
    let map: BTreeMap<&str, u8> = [("__proto__", 1), ("constructor", 2)].into_iter().collect();
    let got = to_js(&map).unwrap();
    let object: &Object = got.unchecked_ref();
    assert!(Object::has_own(object, &"__proto__".into()));
    assert_eq!(get(&got, "__proto__").as_f64(), Some(1.0));
    assert!(Object::get_prototype_of(&got) == Object::get_prototype_of(&Object::new().into()));
    assert_eq!(text(&got), r#"{"__proto__":1,"constructor":2}"#);
}

#[derive(Serialize)]
struct NamesNewKeys {
    a_key_no_other_test_names: u8,
    then_too_large: u64,
}

#[test]
fn a_refused_value_leaves_the_keys_of_later_values_whole() {
    // The first tape numbers its new keys, then fails before JavaScript
    // reads it: the keys must be named again, or the next tape would refer
    // to numbers JavaScript never heard of.
    let refused = NamesNewKeys {
        a_key_no_other_test_names: 1,
        then_too_large: u64::MAX,
    };
    assert!(to_js(&refused).is_err());
    let fine = NamesNewKeys {
        a_key_no_other_test_names: 2,
        then_too_large: 3,
    };
    crosses_as_reference(&fine);
    crosses_as_reference(&fine);
}

#[test]
fn a_large_value_crosses_whole() {
    let days: BTreeMap<String, Vec<(String, u32)>> = (0..2_000)
        .map(|d| {
            (
                format!("day {d}"),
                (0..20)
                    .map(|r| (format!("responder {r} ✓"), d * r))
                    .collect(),
            )
        })
        .collect();
    crosses_as_reference(&days);
}

#[test]
fn a_map_key_that_is_not_a_string_is_refused_as_serde_wasm_bindgen_refuses_it() {
    let numbers: BTreeMap<u8, u8> = [(1, 2)].into_iter().collect();
    let refused = to_js(&numbers).unwrap_err().to_string();
    assert!(refused.contains("a map key must be a string"), "{refused}");
    assert!(numbers
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .is_err());
}

/// Every verdict crosses as serde-wasm-bindgen would make it: reasons,
/// requests and cache updates included.
#[test]
fn every_vector_crosses_to_javascript_as_serde_wasm_bindgen_would() {
    for vector in support::vectors::vectors().vectors {
        let verdict = vector.input.evaluate(&RustCrypto);
        assert_eq!(
            text(&to_js(&verdict).unwrap()),
            text(&reference(&verdict)),
            "{}",
            vector.name
        );
    }
}
