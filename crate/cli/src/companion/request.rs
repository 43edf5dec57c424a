//! A request as the extension sends it: a JSON object with a `type`, an
//! `id` the reply echoes, and the fields of that type, checked strictly
//! (a field of the wrong type or unknown to the request is an error, not
//! ignored).

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Map, Value};

use super::browser::Browser;
use super::error::Error;
use super::host::{self, Host};

/// The deadline of a probe without `timeout_ms`, and the most it may ask
/// for: a handshake with a live server takes well under a second; ten
/// seconds is Firefox's hard-fail OCSP timeout, patience enough.
pub const MAX_PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest `id` string echoed back.
const MAX_ID: usize = 128;

/// What the extension asked.
#[derive(Debug)]
pub enum Request {
    Hello,
    Probe(Probe),
    BrowserLists(BrowserLists),
}

/// `{"type": "probe", "host", "port"?, "sni"?, "timeout_ms"?}`.
#[derive(Debug)]
pub struct Probe {
    pub host: Host,
    /// Default 443.
    pub port: u16,
    /// The name sent as SNI and checked in the certificate; default: the
    /// host when it is a name, none for an IP literal.
    pub sni: Option<String>,
    pub timeout: Duration,
}

/// `{"type": "browser-lists", "browser", "profile"}`.
#[derive(Debug)]
pub struct BrowserLists {
    pub browser: Browser,
    pub profile: PathBuf,
}

/// The request's id (when it has a usable one, to echo) and the request.
pub fn parse(body: &[u8]) -> (Option<Value>, Result<Request, Error>) {
    let object = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => object,
        Ok(_) => return (None, Err(Error::NotAnObject)),
        Err(e) => return (None, Err(Error::BadJson(e.to_string()))),
    };
    let id = match id(&object) {
        Ok(id) => id,
        Err(e) => return (None, Err(e)),
    };
    (Some(id), request(&object))
}

/// A string (up to 128 characters) or an integer.
fn id(object: &Map<String, Value>) -> Result<Value, Error> {
    match object.get("id") {
        None => Err(Error::MissingField("id")),
        Some(Value::String(s)) if s.chars().count() <= MAX_ID => Ok(Value::String(s.clone())),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(Value::Number(n.clone())),
        Some(_) => Err(Error::BadField {
            field: "id",
            expected: "a string of up to 128 characters or an integer",
        }),
    }
}

fn request(object: &Map<String, Value>) -> Result<Request, Error> {
    let kind = match object.get("type") {
        None => return Err(Error::MissingField("type")),
        Some(Value::String(kind)) => kind.as_str(),
        Some(_) => {
            return Err(Error::BadField {
                field: "type",
                expected: "a string",
            })
        }
    };
    match kind {
        "hello" => {
            only(object, &[])?;
            Ok(Request::Hello)
        }
        "probe" => {
            only(object, &["host", "port", "sni", "timeout_ms"])?;
            probe(object).map(Request::Probe)
        }
        "browser-lists" => {
            only(object, &["browser", "profile"])?;
            browser_lists(object).map(Request::BrowserLists)
        }
        other => Err(Error::UnknownType(other.to_owned())),
    }
}

/// Refuses fields besides `id`, `type` and `allowed`.
fn only(object: &Map<String, Value>, allowed: &[&str]) -> Result<(), Error> {
    match object
        .keys()
        .find(|k| !matches!(k.as_str(), "id" | "type") && !allowed.contains(&k.as_str()))
    {
        Some(field) => Err(Error::UnknownField(field.clone())),
        None => Ok(()),
    }
}

fn string<'a>(object: &'a Map<String, Value>, field: &'static str) -> Result<&'a str, Error> {
    match object.get(field) {
        None => Err(Error::MissingField(field)),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(Error::BadField {
            field,
            expected: "a string",
        }),
    }
}

fn probe(object: &Map<String, Value>) -> Result<Probe, Error> {
    let host = match object.get("host") {
        Some(Value::String(s)) => host::parse_host(s).map_err(Error::BadHost)?,
        Some(_) => return Err(Error::BadHost("the host must be a string".into())),
        None => return Err(Error::MissingField("host")),
    };
    let port = match object.get("port") {
        None => 443,
        Some(port) => port
            .as_u64()
            .and_then(|p| u16::try_from(p).ok())
            .filter(|&p| p != 0)
            .ok_or(Error::BadPort)?,
    };
    let sni = match object.get("sni") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => {
            host::dns_name(name).map_err(Error::BadSni)?;
            Some(name.clone())
        }
        Some(_) => return Err(Error::BadSni("the name must be a string".into())),
    };
    let timeout = match object.get("timeout_ms") {
        None => MAX_PROBE_TIMEOUT,
        Some(ms) => ms
            .as_u64()
            .filter(|&ms| ms > 0)
            .map(|ms| Duration::from_millis(ms).min(MAX_PROBE_TIMEOUT))
            .ok_or(Error::BadTimeout)?,
    };
    Ok(Probe {
        host,
        port,
        sni,
        timeout,
    })
}

fn browser_lists(object: &Map<String, Value>) -> Result<BrowserLists, Error> {
    let name = string(object, "browser")?;
    let browser = Browser::from_name(name).ok_or_else(|| Error::BadBrowser(name.to_owned()))?;
    let profile = PathBuf::from(string(object, "profile")?);
    if !profile.is_absolute() {
        return Err(Error::BadProfile(format!(
            "{:?} is not an absolute path",
            profile.display()
        )));
    }
    Ok(BrowserLists { browser, profile })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(json: &str) -> (Option<Value>, &'static str) {
        let (id, request) = parse(json.as_bytes());
        (id, request.err().map_or("ok", |e| e.code()))
    }

    #[test]
    fn each_failure_has_its_code() {
        let id = Some(Value::from(7));
        for (json, expected) in [
            ("{", (None, "bad-json")),
            ("[1]", (None, "not-an-object")),
            (r#"{"type":"hello"}"#, (None, "missing-field")),
            (r#"{"id":{},"type":"hello"}"#, (None, "bad-field")),
            (r#"{"id":1.5,"type":"hello"}"#, (None, "bad-field")),
            (r#"{"id":7}"#, (id.clone(), "missing-field")),
            (r#"{"id":7,"type":1}"#, (id.clone(), "bad-field")),
            (r#"{"id":7,"type":"bye"}"#, (id.clone(), "unknown-type")),
            (
                r#"{"id":7,"type":"hello","x":1}"#,
                (id.clone(), "unknown-field"),
            ),
            (r#"{"id":7,"type":"hello"}"#, (id.clone(), "ok")),
            (r#"{"id":7,"type":"probe"}"#, (id.clone(), "missing-field")),
            (
                r#"{"id":7,"type":"probe","host":1}"#,
                (id.clone(), "bad-host"),
            ),
            (
                r#"{"id":7,"type":"probe","host":"a b"}"#,
                (id.clone(), "bad-host"),
            ),
            (
                r#"{"id":7,"type":"probe","host":"a","port":0}"#,
                (id.clone(), "bad-port"),
            ),
            (
                r#"{"id":7,"type":"probe","host":"a","port":65536}"#,
                (id.clone(), "bad-port"),
            ),
            (
                r#"{"id":7,"type":"probe","host":"a","port":"443"}"#,
                (id.clone(), "bad-port"),
            ),
            (
                r#"{"id":7,"type":"probe","host":"a","port":-1}"#,
                (id.clone(), "bad-port"),
            ),
            (
                r#"{"id":7,"type":"probe","host":"a","sni":"a/b"}"#,
                (id.clone(), "bad-sni"),
            ),
            (
                r#"{"id":7,"type":"probe","host":"a","timeout_ms":0}"#,
                (id.clone(), "bad-timeout"),
            ),
            (
                r#"{"id":7,"type":"probe","host":"a","timeout_ms":"1"}"#,
                (id.clone(), "bad-timeout"),
            ),
            (
                r#"{"id":7,"type":"probe","host":"a","port":8443,"sni":"b","timeout_ms":5}"#,
                (id.clone(), "ok"),
            ),
            (
                r#"{"id":7,"type":"browser-lists","browser":"edge","profile":"/p"}"#,
                (id.clone(), "bad-browser"),
            ),
            (
                r#"{"id":7,"type":"browser-lists","browser":"chrome"}"#,
                (id.clone(), "missing-field"),
            ),
            (
                r#"{"id":7,"type":"browser-lists","browser":"chrome","profile":"rel"}"#,
                (id.clone(), "bad-profile"),
            ),
            (
                r#"{"id":"x","type":"browser-lists","browser":"firefox","profile":"/p"}"#,
                (Some("x".into()), "ok"),
            ),
        ] {
            assert_eq!(code(json), expected, "{json}");
        }
    }

    #[test]
    fn timeouts_are_capped() {
        let (_, request) = parse(br#"{"id":1,"type":"probe","host":"a","timeout_ms":99999999}"#);
        match request {
            Ok(Request::Probe(p)) => assert_eq!(p.timeout, MAX_PROBE_TIMEOUT),
            other => panic!("{other:?}"),
        }
    }
}
