//! Native tests that run programs: the revoscope binary, and the real
//! servers on 127.0.0.1 it talks to (`openssl ocsp`, `openssl s_server`).

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

/// A fresh directory for one test, `revoscope-<name>-<pid>` under the
/// temporary directory, removed when the test ends (passed or failed: a
/// failing assertion unwinds through the drop).
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("revoscope-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<OsStr> for Scratch {
    fn as_ref(&self) -> &OsStr {
        self.0.as_os_str()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A loopback port nothing listens on (at the moment of asking).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs the revoscope binary, with an empty data directory: what the
/// user synced (`crlset sync`, `crlite sync`) never reaches a test.
pub fn revoscope<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_revoscope"))
        .args(args)
        .env("XDG_DATA_HOME", empty_data_home())
        .output()
        .expect("run revoscope")
}

/// An empty directory for `XDG_DATA_HOME`, one per test process.
pub fn empty_data_home() -> std::path::PathBuf {
    static DIR: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("revoscope-empty-data-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    })
    .clone()
}

/// Runs revoscope with `--json` among `args`: the printed object and the exit status.
pub fn revoscope_json<I, S>(args: I) -> (Value, i32)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = revoscope(args);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (json, out.status.code().unwrap())
}

/// The URLs a sync's `--json` report says it requested, in order.
pub fn request_urls(v: &Value) -> Vec<String> {
    v["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["url"].as_str().unwrap().to_owned())
        .collect()
}

/// The leaf's status and deciding step in an `inspect --json` verdict.
pub fn leaf_decision(v: &Value) -> (&str, &str) {
    let c = &v["certificates"][0];
    (
        c["status"].as_str().unwrap(),
        c["decided_by"].as_str().unwrap(),
    )
}

/// Which output of a server announces that it is ready.
pub enum Announces {
    OnStdout,
    OnStderr,
}

/// A server process, killed when dropped.
pub struct Server {
    child: Child,
}

impl Server {
    /// Starts `command` and waits for a line containing `ready` on the
    /// stream it `announces` on. (A probe connection would not do: `openssl
    /// ocsp` serves one connection at a time and would sit on an idle one.)
    pub fn start(mut command: Command, announces: Announces, ready: &str) -> Server {
        let (stdout, stderr) = match announces {
            Announces::OnStdout => (Stdio::piped(), Stdio::null()),
            Announces::OnStderr => (Stdio::null(), Stdio::piped()),
        };
        let mut child = command
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .expect("openssl is installed (npm test's setup installs it)");
        let stream: Box<dyn Read + Send> = match announces {
            Announces::OnStdout => Box::new(child.stdout.take().unwrap()),
            Announces::OnStderr => Box::new(child.stderr.take().unwrap()),
        };
        let mut log = BufReader::new(stream);
        let mut line = String::new();
        while !line.contains(ready) {
            line.clear();
            assert!(
                log.read_line(&mut line).unwrap() > 0,
                "{command:?} exited before saying {ready:?}"
            );
        }
        // Keep draining its log so it never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut log, &mut std::io::sink()));
        Server { child }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
