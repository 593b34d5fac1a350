//! The YAML reader of the specs: granit-parser's events built into a JSON value.
//!
//! It reads one document of mappings, sequences and scalars, as the Swagger specs are written.
//! Plain scalars are resolved by the YAML 1.2 core schema (null, booleans, integers, floats);
//! quoted and block scalars are strings. What the specs never use is refused with the line and
//! column where it appears: anchors and aliases, tags outside the core schema, merge keys,
//! non-scalar or null keys, duplicate keys, numbers JSON cannot hold (`.inf`, `.nan`, `1e999`)
//! and nesting deeper than [`MAX_DEPTH`].
//!
//! The core schema differs from the YAML 1.1 habits that some readers keep: `yes`, `on` and `y`
//! are strings, `1_000` and `0b101` are strings, `0755` is the integer 755.

use crate::error::{Error, Result};
use granit_parser::{Event, Marker, Parser, ScalarStyle, Span, StrInput, Tag};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;

/// The deepest nesting of mappings and sequences read (the parser's own limits, 255 flow and 255
/// block levels, allow twice that much in all).
pub const MAX_DEPTH: usize = 128;

/// Reads the single YAML document of `text`.
pub fn parse(text: &str) -> Result<Value> {
    let mut reader = Reader {
        parser: Parser::new_from_str_with_options(text, granit_parser::options! { emit_comments: false }),
    };
    reader.expect_stream_start()?;
    let (event, span) = reader.next()?;
    if !matches!(event, Event::DocumentStart(..)) {
        return Err(at(&span.start, "no YAML document"));
    }
    let (event, span) = reader.next()?;
    let value = reader.node(event, span, 0)?;
    let (event, _) = reader.next()?;
    debug_assert!(matches!(event, Event::DocumentEnd), "{event:?}");
    let (event, span) = reader.next()?;
    if !matches!(event, Event::StreamEnd) {
        return Err(at(&span.start, "more than one YAML document"));
    }
    Ok(value)
}

/// The events of the text, with what the reader refuses turned into errors.
struct Reader<'a> {
    parser: Parser<'a, StrInput<'a>>,
}

impl<'a> Reader<'a> {
    fn expect_stream_start(&mut self) -> Result<()> {
        let (event, span) = self.next()?;
        if matches!(event, Event::StreamStart) {
            Ok(())
        } else {
            Err(at(&span.start, format!("unexpected {event:?} at the start")))
        }
    }

    /// The next event; an error for a syntax error, an alias, an anchor or a tag outside the
    /// core schema.
    fn next(&mut self) -> Result<(Event<'a>, Span)> {
        let (event, span) = match self.parser.next() {
            Some(Ok(next)) => next,
            Some(Err(e)) => return Err(at(e.marker(), e.info())),
            None => return Err(Error::new("invalid YAML: the events ended early")),
        };
        if event.is_alias() {
            return Err(at(&span.start, "aliases are not supported"));
        }
        if event.anchor_id().is_some() {
            return Err(at(&span.start, "anchors are not supported"));
        }
        if let Some(tag) = event.tag().filter(|tag| tag.core_suffix().is_none()) {
            return Err(at(
                &span.tag_span().unwrap_or(span).start,
                format!("tag {} is not supported", tag.original()),
            ));
        }
        Ok((event, span))
    }

    /// The value of the node that starts with `event`, `depth` collections deep.
    fn node(&mut self, event: Event<'a>, span: Span, depth: usize) -> Result<Value> {
        match event {
            Event::Scalar(text, style, _, tag) => scalar(text, style, tag.as_deref(), &span),
            Event::SequenceStart(_, _, tag) => {
                check_collection(tag.as_deref(), "seq", depth, &span)?;
                let mut items = Vec::new();
                loop {
                    let (event, span) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        return Ok(Value::Array(items));
                    }
                    items.push(self.node(event, span, depth + 1)?);
                }
            }
            Event::MappingStart(_, _, tag) => {
                check_collection(tag.as_deref(), "map", depth, &span)?;
                let mut entries = Map::new();
                loop {
                    let (event, span) = self.next()?;
                    if matches!(event, Event::MappingEnd) {
                        return Ok(Value::Object(entries));
                    }
                    let key = key(event, &span)?;
                    if entries.contains_key(&key) {
                        return Err(at(&span.start, format!("duplicate key `{key}`")));
                    }
                    let (event, span) = self.next()?;
                    entries.insert(key, self.node(event, span, depth + 1)?);
                }
            }
            other => Err(at(&span.start, format!("unexpected {other:?}"))),
        }
    }
}

/// Refuses a collection nested too deep or tagged other than `!!{kind}`.
fn check_collection(tag: Option<&Tag>, kind: &str, depth: usize, span: &Span) -> Result<()> {
    if depth >= MAX_DEPTH {
        return Err(at(&span.start, format!("nesting deeper than {MAX_DEPTH} levels")));
    }
    match tag.and_then(Tag::core_suffix) {
        Some(suffix) if suffix != kind => Err(at(&span.start, format!("!!{suffix} on a {kind}"))),
        _ => Ok(()),
    }
}

/// A mapping key: the text of a scalar, as written.
fn key(event: Event<'_>, span: &Span) -> Result<String> {
    let Event::Scalar(text, style, _, tag) = event else {
        return Err(at(&span.start, "a mapping key must be a scalar"));
    };
    if let Some(suffix) = tag.as_deref().and_then(Tag::core_suffix).filter(|s| *s != "str") {
        return Err(at(&span.start, format!("!!{suffix} on a mapping key")));
    }
    if style == ScalarStyle::Plain && tag.is_none() {
        if is_null(&text) {
            return Err(at(&span.start, "null mapping key"));
        }
        if text == "<<" {
            return Err(at(&span.start, "merge keys (`<<`) are not supported"));
        }
    }
    Ok(text.into_owned())
}

/// A scalar's value: plain ones resolved by the core schema, tagged ones read as their tag says,
/// the others strings.
fn scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>, span: &Span) -> Result<Value> {
    let kind = match tag.and_then(Tag::core_suffix) {
        Some(kind) => kind,
        None if style == ScalarStyle::Plain => return plain(&text, span),
        None => return Ok(Value::String(text.into_owned())),
    };
    let value = match kind {
        "str" => return Ok(Value::String(text.into_owned())),
        "null" => is_null(&text).then_some(Value::Null),
        "bool" => boolean(&text).map(Value::Bool),
        "int" => integer(&text).map(Value::Number),
        "float" => float(&text).map(|f| finite(f, span)).transpose()?,
        _ => None,
    };
    value.ok_or_else(|| at(&span.start, format!("`{text}` is not a !!{kind}")))
}

/// A plain scalar by the core schema: null, a boolean, an integer, a float or else a string.
fn plain(text: &str, span: &Span) -> Result<Value> {
    Ok(if is_null(text) {
        Value::Null
    } else if let Some(b) = boolean(text) {
        Value::Bool(b)
    } else if let Some(n) = integer(text) {
        Value::Number(n)
    } else if let Some(f) = float(text) {
        finite(f, span)?
    } else {
        Value::String(text.to_string())
    })
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn boolean(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`, if it fits in 64 bits (a longer decimal
/// integer is read as a float).
fn integer(text: &str) -> Option<Number> {
    let radix_digits = |prefix, radix: u32| {
        let digits = text.strip_prefix(prefix)?;
        let all = !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix));
        all.then(|| u64::from_str_radix(digits, radix).ok()).flatten()
    };
    if let Some(n) = radix_digits("0o", 8).or_else(|| radix_digits("0x", 16)) {
        return Some(n.into());
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
        None
    } else if text.starts_with('-') {
        text.parse::<i64>().ok().map(Number::from)
    } else {
        unsigned.parse::<u64>().ok().map(Number::from)
    }
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?\.inf` or `\.nan` (the last two
/// in three spellings each).
fn float(text: &str) -> Option<f64> {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    match unsigned {
        ".inf" | ".Inf" | ".INF" if text.starts_with('-') => return Some(f64::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        ".nan" | ".NaN" | ".NAN" if unsigned == text => return Some(f64::NAN),
        _ => {}
    }
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['-', '+']).unwrap_or(e))),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mantissa_ok = digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| !e.is_empty() && digits(e));
    (mantissa_ok && exponent_ok).then(|| text.parse().ok()).flatten()
}

/// A float as a JSON number, which cannot be infinite or NaN.
fn finite(f: f64, span: &Span) -> Result<Value> {
    Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| at(&span.start, "a number JSON cannot hold (infinite or NaN)"))
}

/// An error at `marker`, its line and column counted from 1.
fn at(marker: &Marker, msg: impl std::fmt::Display) -> Error {
    Error::new(format!(
        "invalid YAML at line {} column {}: {msg}",
        marker.line(),
        marker.col() + 1
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> Value {
        parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn error(text: &str) -> String {
        match parse(text) {
            Ok(v) => panic!("{text:?} was read as {v}"),
            Err(e) => e.to_string(),
        }
    }

    /// The value of `text` as the value of a one-key mapping.
    fn value(text: &str) -> Value {
        read(&format!("k: {text}\n"))["k"].take()
    }

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        for null in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(value(null), Value::Null, "{null:?}");
        }
        for (text, b) in [("true", true), ("True", true), ("TRUE", true), ("false", false)] {
            assert_eq!(value(text), json!(b), "{text:?}");
            assert_eq!(value("FALSE"), json!(false));
        }
        let ints = [
            ("0", json!(0)),
            ("42", json!(42)),
            ("+42", json!(42)),
            ("-42", json!(-42)),
            ("-0", json!(0)),
            ("0755", json!(755)),
            ("0o17", json!(15)),
            ("0x1F", json!(31)),
            ("0xff", json!(255)),
            ("18446744073709551615", json!(u64::MAX)),
            ("-9223372036854775808", json!(i64::MIN)),
        ];
        for (text, n) in ints {
            let v = value(text);
            assert_eq!(v, n, "{text:?}");
            assert!(!v.as_number().unwrap().is_f64(), "{text:?} is an integer");
        }
        let floats = [
            ("1.5", 1.5),
            ("-1.5", -1.5),
            ("+.5", 0.5),
            ("1.", 1.0),
            ("1e3", 1000.0),
            ("1.5E-2", 0.015),
            ("-2e+2", -200.0),
            ("18446744073709551616", 18446744073709551616.0),
        ];
        for (text, f) in floats {
            assert_eq!(value(text).as_f64(), Some(f), "{text:?}");
            assert!(value(text).as_number().unwrap().is_f64(), "{text:?} is a float");
        }
        let strings = "yes no on off y n tRUE nULL 1_000 0b101 0X1F -0x1F 0o8 0x 1e . + +-1 +.nan \
                       inf nan 1.2.3 12:30 v1.41 0xFFFFFFFFFFFFFFFFF";
        for text in strings.split_whitespace() {
            assert_eq!(value(text), json!(text), "{text:?}");
        }
    }

    #[test]
    fn quoted_and_block_scalars_are_strings() {
        assert_eq!(value("'true'"), json!("true"));
        assert_eq!(value("\"42\""), json!("42"));
        assert_eq!(value("''"), json!(""));
        assert_eq!(value("\"null\""), json!("null"));
        assert_eq!(read("k: |\n  1.5\n")["k"], json!("1.5\n"));
        assert_eq!(read("k: >-\n  a\n  b\n")["k"], json!("a b"));
    }

    #[test]
    fn core_tags_say_what_a_scalar_is() {
        assert_eq!(value("!!str 42"), json!("42"));
        assert_eq!(value("!!str"), json!(""));
        assert_eq!(value("!!int '42'"), json!(42));
        assert_eq!(value("!!float 1"), json!(1.0));
        assert_eq!(value("!!bool \"true\""), json!(true));
        assert_eq!(value("!!null ''"), Value::Null);
        assert_eq!(value("!<tag:yaml.org,2002:int> 7"), json!(7));
        assert_eq!(value("!!map {a: 1}"), json!({"a": 1}));
        assert_eq!(value("!!seq [1]"), json!([1]));
        assert_eq!(read("!!str 200: ok\n"), json!({"200": "ok"}));
        assert!(error("k: !!int x\n").contains("`x` is not a !!int"));
        assert!(error("k: !!bool yes\n").contains("`yes` is not a !!bool"));
        assert!(error("k: !!null 0\n").contains("is not a !!null"));
        assert!(error("k: !!map x\n").contains("is not a !!map"));
        assert!(error("k: !!seq {a: 1}\n").contains("!!seq on a map"));
        assert!(error("!!int 1: x\n").contains("!!int on a mapping key"));
    }

    #[test]
    fn mappings_keep_their_order_and_keys_are_text() {
        let v = read("z: 1\na: [x, {c: 3, b: 2}]\n200: ok\ntrue: t\n1.5: f\n\"q\": 'q'\n");
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"z":1,"a":["x",{"c":3,"b":2}],"200":"ok","true":"t","1.5":"f","q":"q"}"#
        );
        assert_eq!(
            read("{\"a\": [1, 2.5, null, true]}"),
            json!({"a": [1, 2.5, null, true]})
        );
        assert_eq!(read("# only a comment\n- 1 # and another\n"), json!([1]));
        assert_eq!(read("---\nplain\n...\n"), json!("plain"));
    }

    #[test]
    fn aliases_and_anchors_are_refused() {
        let e = error("a: 1\nb: *x\n");
        assert!(e.contains("line 2 column 4"), "{e}");
        let e = error("a: &x 1\nb: *x\n");
        assert!(e.contains("line 1 column 7: anchors are not supported"), "{e}");
        assert!(error("a: &x [1]\n").contains("anchors are not supported"));
        assert!(error("a: &x {b: 1}\n").contains("anchors are not supported"));
    }

    #[test]
    fn tags_outside_the_core_schema_are_refused() {
        let e = error("a:\n  b: !custom 1\n");
        assert!(e.contains("line 2 column 6: tag !custom is not supported"), "{e}");
        assert!(error("a: ! 1\n").contains("is not supported"));
        assert!(error("a: !!binary aGk=\n").contains("tag !!binary is not supported"));
        assert!(error("a: !!set {b}\n").contains("is not supported"));
        assert!(error("a: !<tag:example.com,2000:x> 1\n").contains("is not supported"));
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let e = error("a: 1\nb:\n  c: 2\n  c: 3\n");
        assert!(e.contains("line 4 column 3: duplicate key `c`"), "{e}");
        assert!(error("{a: 1, 'a': 2}").contains("duplicate key `a`"));
    }

    #[test]
    fn other_keys_are_refused() {
        assert!(error("[a]: 1\n").contains("line 1 column 1: a mapping key must be a scalar"));
        assert!(error("? {a: 1}\n: 1\n").contains("a mapping key must be a scalar"));
        assert!(error("~: 1\n").contains("null mapping key"));
        assert!(error("? \n: 1\n").contains("null mapping key"));
        assert!(error("<<: {a: 1}\n").contains("merge keys"));
        assert_eq!(read("'<<': 1\n'~': 2\n"), json!({"<<": 1, "~": 2}));
    }

    #[test]
    fn numbers_json_cannot_hold_are_refused() {
        for text in [".inf", "-.inf", "+.Inf", ".nan", ".NaN", "1e999", "-1e999"] {
            let e = error(&format!("k: {text}\n"));
            assert!(
                e.contains("line 1 column 4: a number JSON cannot hold"),
                "{text}: {e}"
            );
        }
        assert!(error("k: !!float .NAN\n").contains("a number JSON cannot hold"));
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused() {
        let flow = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(read(&flow(MAX_DEPTH)).to_string(), flow(MAX_DEPTH));
        let e = error(&flow(MAX_DEPTH + 1));
        assert!(
            e.contains(&format!("line 1 column {}: nesting deeper than", MAX_DEPTH + 1)),
            "{e}"
        );
        // Far past the limit: the parser stops first (it looks ahead), with an error all the same.
        let e = error(&flow(100_000));
        assert!(e.contains("line 1 column"), "{e}");
        let block: String = (0..=MAX_DEPTH)
            .map(|i| format!("{}k:\n", "  ".repeat(i)))
            .collect();
        assert!(error(&block).contains("nesting deeper than"));
        // Within each of the parser's limits, past this one in all.
        let indent = "  ".repeat(100);
        let mixed: String = (0..100).map(|i| format!("{}k:\n", "  ".repeat(i))).collect();
        let e = error(&format!("{mixed}{indent}k: {}\n", flow(100)));
        assert!(e.contains("nesting deeper than"), "{e}");
    }

    #[test]
    fn documents_other_than_one_are_refused() {
        assert!(error("").contains("no YAML document"));
        assert!(error("# nothing\n").contains("no YAML document"));
        let e = error("a: 1\n---\nb: 2\n");
        assert!(e.contains("more than one YAML document"), "{e}");
    }

    #[test]
    fn syntax_errors_name_their_place() {
        let e = error("a: 1\nb: [1, 2\n");
        assert!(e.starts_with("invalid YAML at line "), "{e}");
        let e = error("a: 1\n  b: 2\n");
        assert!(e.contains("line 2 column"), "{e}");
    }
}
