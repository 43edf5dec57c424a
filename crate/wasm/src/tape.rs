//! Results handed to JavaScript in one crossing.
//!
//! serde-wasm-bindgen builds a result in JavaScript call by call: an object,
//! then for every field a key, a value (each string decoded on its own) and
//! a property store, each a trip across the wasm boundary. A verdict has
//! about 90 fields and 60 strings, and those trips were 11 µs of a 26 µs
//! evaluation (Node, 2026-11-22, against a build that handed over nothing).
//! Here a serde `Serializer` writes the value as a tape instead: a list of
//! `u32` words, the numbers, and one string holding every string's text,
//! which `tape.js` turns into the same plain objects in a single call and a
//! single UTF-8 decoding.
//!
//! The values are the ones serde-wasm-bindgen's `json_compatible()` makes
//! (the wasm tests hold the two to each other): `None` and `()` as `null`,
//! maps as plain objects with string keys, 64-bit integers as numbers within
//! JavaScript's safe range and an error beyond it, bytes as arrays of
//! numbers, enum variants as serde's externally tagged form. 128-bit
//! integers, which it would make `BigInt`s, are an error here: no result
//! holds one.

use std::cell::RefCell;
use std::fmt;

use js_sys::Array;
use serde::ser::{self, Serialize};
use wasm_bindgen::prelude::*;

/// The words of a tape. The layout is `tape.js`'s, word for word.
mod word {
    pub const NULL: u32 = 0;
    pub const FALSE: u32 = 1;
    pub const TRUE: u32 = 2;
    /// Followed by the number's index in the numbers.
    pub const NUMBER: u32 = 3;
    /// Followed by the string's start and length in the text, in UTF-16
    /// code units (JavaScript's string indices).
    pub const STRING: u32 = 4;
    /// Followed by the number of items, then the items.
    pub const ARRAY: u32 = 5;
    /// Followed by the number of entries, then for each a key and a value.
    /// A key is the number of a known key (see [`super::Keys`]), or
    /// `NEW_KEY` followed by the number it gets and its start and length in
    /// the text, or `ONE_KEY` followed by its start and length: a map's key,
    /// used once.
    pub const OBJECT: u32 = 6;
    /// A string that is an enum's unit variant, sent as a key is (a number
    /// or `NEW_KEY`...): the same few come back in every verdict.
    pub const KNOWN_STRING: u32 = 7;
    pub const NEW_KEY: u32 = u32::MAX;
    pub const ONE_KEY: u32 = u32::MAX - 1;
}

#[wasm_bindgen(module = "/src/tape.js")]
extern "C" {
    #[wasm_bindgen(js_name = readTape, catch)]
    fn read_tape(
        keys: &Array,
        words: &[u32],
        numbers: &[f64],
        text: &str,
    ) -> Result<JsValue, JsValue>;
}

thread_local! {
    static KEYS: RefCell<Option<Keys>> = const { RefCell::new(None) };
}

/// `value` as the plain JavaScript value serde-wasm-bindgen's
/// `json_compatible()` would make of it.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, TapeError> {
    let keys = KEYS.with(|k| k.borrow_mut().take()).unwrap_or_default();
    let known = keys.named.len();
    let mut tape = Tape::new(keys);
    let read = value.serialize(&mut tape).and_then(|()| {
        read_tape(&tape.keys.js, &tape.words, &tape.numbers, &tape.text).map_err(|e| {
            TapeError(format!(
                "tape.js could not read the tape: {}",
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_default()
            ))
        })
    });
    let mut keys = tape.keys;
    if read.is_err() {
        // tape.js may not have read the keys this tape named: name them
        // again next time, under the same numbers.
        keys.forget_since(known);
    }
    KEYS.with(|k| *k.borrow_mut() = Some(keys));
    read
}

/// Why a value could not be handed over.
#[derive(Debug)]
pub struct TapeError(String);

impl fmt::Display for TapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TapeError {}

impl ser::Error for TapeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TapeError(msg.to_string())
    }
}

/// Struct field names and enum variants, numbered once for the life of the
/// module: their text crosses once, and JavaScript then uses the same
/// string, already internalised, in every object. A field name is a
/// `&'static str`, known by its address; there are as many as the code has,
/// so this stays small.
struct Keys {
    /// The address and length of each numbered key, by number.
    named: Vec<(usize, usize)>,
    /// A direct-mapped cache of `named`: (address, number) by slot.
    slots: [(usize, u32); KEY_SLOTS],
    /// tape.js's side: each key's string, by number.
    js: Array,
}

const KEY_SLOTS: usize = 128;

impl Default for Keys {
    fn default() -> Self {
        Keys {
            named: Vec::new(),
            slots: [(0, 0); KEY_SLOTS],
            js: Array::new(),
        }
    }
}

impl Keys {
    /// The number of `key`, and whether it is new.
    fn number(&mut self, key: &'static str) -> (u32, bool) {
        let address = key.as_ptr() as usize;
        // Fibonacci hashing: the product's top bits pick the slot.
        let slot =
            ((address.wrapping_mul(0x9E37_79B9) as u32) >> (32 - KEY_SLOTS.ilog2())) as usize;
        let (cached, number) = self.slots[slot];
        if cached == address && self.named[number as usize].1 == key.len() {
            return (number, false);
        }
        let (number, new) = match self
            .named
            .iter()
            .position(|&named| named == (address, key.len()))
        {
            Some(at) => (at as u32, false),
            None => {
                self.named.push((address, key.len()));
                ((self.named.len() - 1) as u32, true)
            }
        };
        self.slots[slot] = (address, number);
        (number, new)
    }

    /// Drops the keys numbered from `known` on.
    fn forget_since(&mut self, known: usize) {
        self.named.truncate(known);
        for slot in &mut self.slots {
            if slot.1 as usize >= known {
                *slot = (0, 0);
            }
        }
    }
}

struct Tape {
    words: Vec<u32>,
    numbers: Vec<f64>,
    text: String,
    /// `text`'s length in UTF-16 code units.
    text_units: u32,
    keys: Keys,
}

// The writing helpers are `#[inline(never)]`: inlined into every field of
// every type handed over, they made the .wasm 4.7 KB larger gzipped, for no
// speed that `npm run bench` could see.
impl Tape {
    fn new(keys: Keys) -> Self {
        Tape {
            words: Vec::with_capacity(512),
            numbers: Vec::new(),
            text: String::with_capacity(2048),
            text_units: 0,
            keys,
        }
    }

    /// Appends `s` to the text; its start and length in UTF-16 units.
    fn put_text(&mut self, s: &str) -> Result<(u32, u32), TapeError> {
        let units = if s.is_ascii() {
            s.len()
        } else {
            s.encode_utf16().count()
        };
        let start = self.text_units;
        self.text_units = u32::try_from(units)
            .ok()
            .and_then(|units| start.checked_add(units))
            .ok_or_else(|| TapeError("the result's text is over 4 G UTF-16 units".into()))?;
        self.text.push_str(s);
        Ok((start, units as u32))
    }

    #[inline(never)]
    fn put_string(&mut self, s: &str) -> Result<(), TapeError> {
        let (start, units) = self.put_text(s)?;
        self.words.extend_from_slice(&[word::STRING, start, units]);
        Ok(())
    }

    #[inline(never)]
    fn put_number(&mut self, n: f64) -> Result<(), TapeError> {
        self.words.push(word::NUMBER);
        self.words.push(count(self.numbers.len())?);
        self.numbers.push(n);
        Ok(())
    }

    /// A map's key: its text, for this object only.
    #[inline(never)]
    fn put_one_key(&mut self, key: &str) -> Result<(), TapeError> {
        let (start, units) = self.put_text(key)?;
        self.words.extend_from_slice(&[word::ONE_KEY, start, units]);
        Ok(())
    }

    /// A struct's field name or an enum variant, by number.
    #[inline(never)]
    fn put_field_key(&mut self, key: &'static str) -> Result<(), TapeError> {
        let (number, new) = self.keys.number(key);
        if new {
            let (start, units) = self.put_text(key)?;
            self.words
                .extend_from_slice(&[word::NEW_KEY, number, start, units]);
        } else {
            self.words.push(number);
        }
        Ok(())
    }

    /// Starts an array or object whose size is written by [`Compound::end`].
    #[inline(never)]
    fn open(&mut self, kind: u32) -> Compound<'_> {
        self.words.push(kind);
        let size_at = self.words.len();
        self.words.push(0);
        Compound {
            tape: self,
            size_at,
            size: 0,
        }
    }

    /// `{variant: ...}`, serde's externally tagged enum form: the object
    /// with its one key, whose value the caller writes next.
    #[inline(never)]
    fn open_variant(&mut self, variant: &'static str) -> Result<(), TapeError> {
        self.words.extend_from_slice(&[word::OBJECT, 1]);
        self.put_field_key(variant)
    }
}

fn count(n: usize) -> Result<u32, TapeError> {
    u32::try_from(n).map_err(|_| TapeError(format!("{n} items are more than a tape holds")))
}

/// Integers beyond 2^53 would lose digits as JavaScript numbers.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

fn safe_integer(n: i128) -> Result<f64, TapeError> {
    if n.unsigned_abs() <= u128::from(MAX_SAFE_INTEGER) {
        Ok(n as f64)
    } else {
        Err(TapeError(format!(
            "{n} can't be represented as a JavaScript number"
        )))
    }
}

/// An array or object being written.
struct Compound<'t> {
    tape: &'t mut Tape,
    size_at: usize,
    size: u32,
}

impl Compound<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        value.serialize(&mut *self.tape)?;
        self.size += 1;
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        self.tape.put_field_key(key)?;
        self.item(value)
    }

    fn end(self) -> Result<(), TapeError> {
        self.tape.words[self.size_at] = self.size;
        Ok(())
    }
}

impl<'t> ser::Serializer for &'t mut Tape {
    type Ok = ();
    type Error = TapeError;
    type SerializeSeq = Compound<'t>;
    type SerializeTuple = Compound<'t>;
    type SerializeTupleStruct = Compound<'t>;
    type SerializeTupleVariant = Compound<'t>;
    type SerializeMap = Compound<'t>;
    type SerializeStruct = Compound<'t>;
    type SerializeStructVariant = Compound<'t>;

    fn serialize_bool(self, v: bool) -> Result<(), TapeError> {
        self.words.push(if v { word::TRUE } else { word::FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), TapeError> {
        self.put_number(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), TapeError> {
        self.put_number(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), TapeError> {
        self.put_number(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), TapeError> {
        self.put_number(safe_integer(v.into())?)
    }
    fn serialize_u8(self, v: u8) -> Result<(), TapeError> {
        self.put_number(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), TapeError> {
        self.put_number(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), TapeError> {
        self.put_number(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), TapeError> {
        self.put_number(safe_integer(v.into())?)
    }
    fn serialize_i128(self, v: i128) -> Result<(), TapeError> {
        Err(TapeError(format!(
            "{v} is a 128-bit integer, which no result holds"
        )))
    }
    fn serialize_u128(self, v: u128) -> Result<(), TapeError> {
        Err(TapeError(format!(
            "{v} is a 128-bit integer, which no result holds"
        )))
    }
    fn serialize_f32(self, v: f32) -> Result<(), TapeError> {
        self.put_number(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), TapeError> {
        self.put_number(v)
    }
    fn serialize_char(self, v: char) -> Result<(), TapeError> {
        self.put_string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), TapeError> {
        self.put_string(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), TapeError> {
        let mut array = self.open(word::ARRAY);
        for byte in v {
            array.item(byte)?;
        }
        array.end()
    }
    fn serialize_none(self) -> Result<(), TapeError> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), TapeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), TapeError> {
        self.words.push(word::NULL);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), TapeError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), TapeError> {
        self.words.push(word::KNOWN_STRING);
        self.put_field_key(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        self.open_variant(variant)?;
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'t>, TapeError> {
        Ok(self.open(word::ARRAY))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'t>, TapeError> {
        Ok(self.open(word::ARRAY))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'t>, TapeError> {
        Ok(self.open(word::ARRAY))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'t>, TapeError> {
        self.open_variant(variant)?;
        Ok(self.open(word::ARRAY))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'t>, TapeError> {
        Ok(self.open(word::OBJECT))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'t>, TapeError> {
        Ok(self.open(word::OBJECT))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'t>, TapeError> {
        self.open_variant(variant)?;
        Ok(self.open(word::OBJECT))
    }
}

/// serde's compound traits, all written by one [`Compound`]: items, or
/// fields (a key, then a value).
macro_rules! compound {
    (items: $($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = TapeError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
                self.item(value)
            }
            fn end(self) -> Result<(), TapeError> {
                Compound::end(self)
            }
        }
    )*};
    (fields: $($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = TapeError;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), TapeError> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), TapeError> {
                Compound::end(self)
            }
        }
    )*};
}

compound!(items: SerializeSeq::serialize_element, SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field, SerializeTupleVariant::serialize_field);
compound!(fields: SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = TapeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), TapeError> {
        key.serialize(MapKey(&mut *self.tape))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TapeError> {
        self.item(value)
    }
    fn end(self) -> Result<(), TapeError> {
        Compound::end(self)
    }
}

/// A map key: a string, or an enum's unit variant (the label enums that
/// key the telemetry's counts); anything else cannot be an object key.
struct MapKey<'t>(&'t mut Tape);

/// `MapKey`'s methods for values that cannot be object keys.
macro_rules! refuse {
    ($($method:ident($ty:ty) $what:literal),* $(,)?) => {$(
        fn $method(self, _: $ty) -> Result<(), TapeError> {
            Err(Self::refuse($what))
        }
    )*};
}

impl MapKey<'_> {
    fn refuse(what: &str) -> TapeError {
        TapeError(format!(
            "a map key must be a string to be an object key, not {what}"
        ))
    }
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = TapeError;
    type SerializeSeq = ser::Impossible<(), TapeError>;
    type SerializeTuple = ser::Impossible<(), TapeError>;
    type SerializeTupleStruct = ser::Impossible<(), TapeError>;
    type SerializeTupleVariant = ser::Impossible<(), TapeError>;
    type SerializeMap = ser::Impossible<(), TapeError>;
    type SerializeStruct = ser::Impossible<(), TapeError>;
    type SerializeStructVariant = ser::Impossible<(), TapeError>;

    fn serialize_str(self, v: &str) -> Result<(), TapeError> {
        self.0.put_one_key(v)
    }
    fn serialize_char(self, v: char) -> Result<(), TapeError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), TapeError> {
        self.0.put_field_key(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), TapeError> {
        value.serialize(self)
    }
    refuse! {
        serialize_bool(bool) "a boolean",
        serialize_i8(i8) "a number",
        serialize_i16(i16) "a number",
        serialize_i32(i32) "a number",
        serialize_i64(i64) "a number",
        serialize_u8(u8) "a number",
        serialize_u16(u16) "a number",
        serialize_u32(u32) "a number",
        serialize_u64(u64) "a number",
        serialize_f32(f32) "a number",
        serialize_f64(f64) "a number",
        serialize_bytes(&[u8]) "bytes",
        serialize_unit_struct(&'static str) "null",
    }
    fn serialize_none(self) -> Result<(), TapeError> {
        Err(Self::refuse("null"))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), TapeError> {
        Err(Self::refuse("an option"))
    }
    fn serialize_unit(self) -> Result<(), TapeError> {
        Err(Self::refuse("null"))
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), TapeError> {
        Err(Self::refuse("an enum with data"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, TapeError> {
        Err(Self::refuse("an array"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, TapeError> {
        Err(Self::refuse("an array"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, TapeError> {
        Err(Self::refuse("an array"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, TapeError> {
        Err(Self::refuse("an enum with data"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, TapeError> {
        Err(Self::refuse("an object"))
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, TapeError> {
        Err(Self::refuse("an object"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, TapeError> {
        Err(Self::refuse("an enum with data"))
    }
}
