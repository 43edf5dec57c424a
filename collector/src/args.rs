//! The command line.

use std::net::SocketAddr;
use std::path::PathBuf;

pub const USAGE: &str = "\
usage: revoscope-collector (--db FILE | --clickhouse URL [--clickhouse-db NAME])
                           [--listen ADDR:PORT] [--k K] [--rate-limit N]
                           [--max-age-days DAYS] [--dashboard DIR]

  --db FILE            the SQLite database (created if missing)
  --clickhouse URL     or a ClickHouse server's HTTP interface, http://HOST:PORT
  --clickhouse-db NAME its database (created if missing; default revoscope)
  --listen ADDR:PORT   where to listen (default 127.0.0.1:8787; port 0 picks one)
  --k K                publish a day, and a cell of it, only when at least K
                       reports contributed (default 5)
  --rate-limit N       reports per minute per client address, 0 = no limit
                       (default 0); addresses are held in memory only
  --max-age-days DAYS  refuse reports of days older than today minus DAYS
                       (default 31)
  --dashboard DIR      serve the static files of DIR at /dashboard/";

/// Where the reports go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreConfig {
    Sqlite { path: PathBuf },
    ClickHouse { url: String, database: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    pub store: StoreConfig,
    pub listen: SocketAddr,
    /// At least 1 (1 publishes everything).
    pub k: u64,
    /// Reports per minute per address; 0 is no limit.
    pub rate_limit: u32,
    pub max_age_days: u32,
    pub dashboard: Option<PathBuf>,
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";
pub const DEFAULT_K: u64 = 5;
pub const DEFAULT_MAX_AGE_DAYS: u32 = 31;
pub const DEFAULT_CLICKHOUSE_DB: &str = "revoscope";

/// Why the command line is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgsError {
    /// `--help`: not an error, the caller prints [`USAGE`].
    Help,
    UnknownFlag(String),
    MissingValue(&'static str),
    BadValue {
        flag: &'static str,
        value: String,
        why: &'static str,
    },
    Repeated(&'static str),
    MissingStore,
    /// Two flags that exclude each other (two stores).
    Conflict(&'static str, &'static str),
}

impl core::fmt::Display for ArgsError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Help => f.write_str(USAGE),
            Self::UnknownFlag(flag) => write!(f, "unknown argument {flag:?}"),
            Self::MissingValue(flag) => write!(f, "{flag} needs a value"),
            Self::BadValue { flag, value, why } => write!(f, "{flag} {value:?}: {why}"),
            Self::Repeated(flag) => write!(f, "{flag} is given twice"),
            Self::MissingStore => f.write_str("--db FILE or --clickhouse URL is required"),
            Self::Conflict(a, b) => write!(f, "{a} and {b} exclude each other"),
        }
    }
}

impl std::error::Error for ArgsError {}

const FLAGS: [&str; 8] = [
    "--db",
    "--clickhouse",
    "--clickhouse-db",
    "--listen",
    "--k",
    "--rate-limit",
    "--max-age-days",
    "--dashboard",
];

impl Args {
    /// Reads the arguments after the program name. Flags take their value as
    /// the next argument or after `=`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, ArgsError> {
        let mut values: [Option<String>; FLAGS.len()] = Default::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--help" || arg == "-h" {
                return Err(ArgsError::Help);
            }
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) => (name.to_string(), Some(value.to_string())),
                None => (arg.clone(), None),
            };
            let Some(i) = FLAGS.iter().position(|f| *f == name) else {
                return Err(ArgsError::UnknownFlag(arg));
            };
            let value = match inline {
                Some(v) => v,
                None => args.next().ok_or(ArgsError::MissingValue(FLAGS[i]))?,
            };
            if values[i].replace(value).is_some() {
                return Err(ArgsError::Repeated(FLAGS[i]));
            }
        }
        let [db, clickhouse, clickhouse_db, listen, k, rate_limit, max_age_days, dashboard] =
            values;
        let store = match (db, clickhouse, clickhouse_db) {
            (Some(_), Some(_), _) => return Err(ArgsError::Conflict("--db", "--clickhouse")),
            (Some(_), None, Some(_)) => return Err(ArgsError::Conflict("--db", "--clickhouse-db")),
            (Some(path), None, None) => StoreConfig::Sqlite { path: path.into() },
            (None, Some(url), database) => StoreConfig::ClickHouse {
                url,
                database: database.unwrap_or_else(|| DEFAULT_CLICKHOUSE_DB.into()),
            },
            (None, None, _) => return Err(ArgsError::MissingStore),
        };
        Ok(Args {
            store,
            listen: number_or(
                listen,
                "--listen",
                DEFAULT_LISTEN.parse().unwrap(),
                "not ADDR:PORT",
            )?,
            k: number_or(k, "--k", DEFAULT_K, "not a whole number")
                .and_then(|k| at_least_one("--k", k))?,
            rate_limit: number_or(rate_limit, "--rate-limit", 0, "not a whole number")?,
            max_age_days: number_or(
                max_age_days,
                "--max-age-days",
                DEFAULT_MAX_AGE_DAYS,
                "not a whole number",
            )?,
            dashboard: dashboard.map(PathBuf::from),
        })
    }
}

fn number_or<T: std::str::FromStr>(
    value: Option<String>,
    flag: &'static str,
    default: T,
    why: &'static str,
) -> Result<T, ArgsError> {
    match value {
        None => Ok(default),
        Some(text) => text.parse().map_err(|_| ArgsError::BadValue {
            flag,
            value: text,
            why,
        }),
    }
}

fn at_least_one(flag: &'static str, k: u64) -> Result<u64, ArgsError> {
    if k == 0 {
        return Err(ArgsError::BadValue {
            flag,
            value: "0".into(),
            why: "must be at least 1",
        });
    }
    Ok(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Args, ArgsError> {
        Args::parse(line.split_whitespace().map(String::from))
    }

    #[test]
    fn defaults_and_both_spellings() {
        let args = parse("--db r.sqlite").unwrap();
        assert_eq!(
            args,
            Args {
                store: StoreConfig::Sqlite {
                    path: "r.sqlite".into()
                },
                listen: "127.0.0.1:8787".parse().unwrap(),
                k: 5,
                rate_limit: 0,
                max_age_days: 31,
                dashboard: None,
            }
        );
        let args = parse(
            "--db=x --listen 127.0.0.1:0 --k=3 --rate-limit 60 --max-age-days 7 --dashboard d",
        )
        .unwrap();
        assert_eq!(args.k, 3);
        assert_eq!(args.rate_limit, 60);
        assert_eq!(args.max_age_days, 7);
        assert_eq!(args.listen.port(), 0);
        assert_eq!(args.dashboard, Some("d".into()));
    }

    #[test]
    fn refusals_are_precise() {
        assert_eq!(parse(""), Err(ArgsError::MissingStore));
        assert_eq!(parse("--db"), Err(ArgsError::MissingValue("--db")));
        assert_eq!(parse("--db a --db b"), Err(ArgsError::Repeated("--db")));
        assert_eq!(
            parse("--db a --port 1"),
            Err(ArgsError::UnknownFlag("--port".into()))
        );
        assert!(matches!(
            parse("--db a --k 0"),
            Err(ArgsError::BadValue { flag: "--k", .. })
        ));
        assert!(matches!(
            parse("--db a --rate-limit -1"),
            Err(ArgsError::BadValue {
                flag: "--rate-limit",
                ..
            })
        ));
        assert!(matches!(
            parse("--db a --listen localhost"),
            Err(ArgsError::BadValue {
                flag: "--listen",
                ..
            })
        ));
        assert_eq!(parse("--db a --help"), Err(ArgsError::Help));
    }

    #[test]
    fn clickhouse_instead_of_sqlite() {
        let args = parse("--clickhouse http://127.0.0.1:8123").unwrap();
        assert_eq!(
            args.store,
            StoreConfig::ClickHouse {
                url: "http://127.0.0.1:8123".into(),
                database: "revoscope".into()
            }
        );
        let args = parse("--clickhouse-db r2 --clickhouse=http://ch:8123/").unwrap();
        assert_eq!(
            args.store,
            StoreConfig::ClickHouse {
                url: "http://ch:8123/".into(),
                database: "r2".into()
            }
        );
        assert_eq!(
            parse("--db a --clickhouse http://ch"),
            Err(ArgsError::Conflict("--db", "--clickhouse"))
        );
        assert_eq!(
            parse("--db a --clickhouse-db r"),
            Err(ArgsError::Conflict("--db", "--clickhouse-db"))
        );
        assert_eq!(parse("--clickhouse-db r"), Err(ArgsError::MissingStore));
    }
}
