//! `revoscope companion`, the extension's native messaging host, run as a
//! browser runs it: the real binary on real pipes, length-prefixed JSON in
//! and out. Probes go to TLS servers on 127.0.0.1 only (`openssl s_server`,
//! stapling a response `openssl ocsp` signs at test time), which the host
//! reaches only when started with `--allow-private`.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};

mod support;

use support::programs::{free_port, revoscope, Scratch};
use support::tls_server::{staple, TlsServer};

/// How long a reply may take: the probes here end within their own
/// deadlines, a few seconds at most.
const PATIENCE: Duration = Duration::from_secs(30);

/// A running companion: what is written to its stdin, and its replies as
/// they come (read on a thread, so a missing reply fails the test instead
/// of hanging it).
struct Companion {
    child: Child,
    stdin: Option<ChildStdin>,
    replies: Receiver<Value>,
}

impl Companion {
    /// `revoscope companion ARGS`.
    fn start(args: &[&str]) -> Companion {
        let mut command = Command::new(env!("CARGO_BIN_EXE_revoscope"));
        command.arg("companion");
        Companion::start_command(command, args)
    }

    fn start_command(mut command: Command, args: &[&str]) -> Companion {
        let mut child = command
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run the companion");
        let stdin = child.stdin.take();
        let mut stdout = child.stdout.take().unwrap();
        let (tx, replies) = mpsc::channel();
        thread::spawn(move || {
            let mut prefix = [0u8; 4];
            while stdout.read_exact(&mut prefix).is_ok() {
                let mut body = vec![0u8; u32::from_ne_bytes(prefix) as usize];
                stdout.read_exact(&mut body).unwrap();
                let reply = serde_json::from_slice(&body).expect("a reply is JSON");
                if tx.send(reply).is_err() {
                    break;
                }
            }
        });
        Companion {
            child,
            stdin,
            replies,
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, request: &Value) {
        self.write(&frame(request.to_string().as_bytes()));
    }

    fn reply(&self) -> Value {
        self.replies
            .recv_timeout(PATIENCE)
            .expect("a reply within the patience")
    }

    /// Sends one request and returns its reply.
    fn ask(&mut self, request: &Value) -> Value {
        self.send(request);
        let reply = self.reply();
        assert_eq!(reply["id"], request["id"], "{reply}");
        reply
    }

    /// Closes stdin, as a browser closing the port does, and waits.
    fn close(mut self) -> (ExitStatus, String) {
        drop(self.stdin.take());
        self.wait()
    }

    fn wait(mut self) -> (ExitStatus, String) {
        for _ in 0..300 {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut stderr = String::new();
                let _ = self
                    .child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut stderr);
                return (status, stderr);
            }
            thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("the companion did not exit");
    }
}

impl Drop for Companion {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut bytes = u32::try_from(body.len()).unwrap().to_ne_bytes().to_vec();
    bytes.extend_from_slice(body);
    bytes
}

fn code(reply: &Value) -> &str {
    assert_eq!(reply["ok"], false, "{reply}");
    reply["error"]["code"].as_str().unwrap()
}

/// DER from the base64 of a reply.
fn der(value: &Value) -> Vec<u8> {
    STANDARD.decode(value.as_str().unwrap()).unwrap()
}

/// The DER of the certificates in fixtures/pki/`name`.pem.
fn fixture_der(name: &str) -> Vec<Vec<u8>> {
    let pem = fs::read(support::fixture_path(&format!("pki/{name}.pem"))).unwrap();
    revoscope::pem::read_certificates(&pem).unwrap()
}

#[test]
fn messages_are_framed_both_ways() {
    let mut host = Companion::start(&[]);
    // Three messages in one write.
    let mut stream = Vec::new();
    for id in 1..=3 {
        stream.extend(frame(
            json!({"id": id, "type": "hello"}).to_string().as_bytes(),
        ));
    }
    host.write(&stream);
    for id in 1..=3 {
        assert_eq!(host.reply()["id"], id);
    }
    // One message in pieces: the prefix split, then the body.
    let whole = frame(
        json!({"id": "split", "type": "hello"})
            .to_string()
            .as_bytes(),
    );
    for piece in [&whole[..2], &whole[2..7], &whole[7..]] {
        host.write(piece);
        thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(host.reply()["id"], "split");
    let (status, _) = host.close();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn hello_says_what_the_host_can_do() {
    let mut host = Companion::start(&[]);
    let reply = host.ask(&json!({"id": 1, "type": "hello"}));
    assert_eq!(
        reply,
        json!({
            "id": 1,
            "ok": true,
            "type": "hello",
            "version": env!("CARGO_PKG_VERSION"),
            "capabilities": ["probe", "browser-lists"],
        })
    );
}

#[test]
fn a_probe_gives_the_chain_and_the_staple() {
    let dir = Scratch::new("companion-probe");
    let response = staple(&dir, "leaf-90d", "good.idx", "1");
    let stapling = TlsServer::start("leaf-90d", Some(&response));
    let bare = TlsServer::start("leaf-90d", None);
    let mut host = Companion::start(&["--allow-private"]);

    let reply = host.ask(&json!({
        "id": 1, "type": "probe", "host": "127.0.0.1", "port": stapling.port,
    }));
    assert_eq!(reply["ok"], true, "{reply}");
    assert_eq!(reply["type"], "probe");
    let chain: Vec<Vec<u8>> = reply["chain"].as_array().unwrap().iter().map(der).collect();
    assert_eq!(
        chain,
        [
            fixture_der("leaf-90d")[0].clone(),
            fixture_der("int-good")[0].clone()
        ],
        "leaf first, as served"
    );
    assert_eq!(der(&reply["staple"]), fs::read(&response).unwrap());
    assert_eq!(reply["tls_version"], "TLSv1.3");
    assert!(reply["elapsed_ms"].as_u64().unwrap() < 10_000, "{reply}");
    assert_eq!(reply["address"], format!("127.0.0.1:{}", stapling.port));
    assert_eq!(reply["trusted"], false, "a test root is not Mozilla's");

    // By name, with a name to send as SNI, and from a server that staples nothing.
    let reply = host.ask(&json!({
        "id": 2, "type": "probe", "host": "localhost", "port": bare.port,
        "sni": "www.example.org", "timeout_ms": 5000,
    }));
    assert_eq!(reply["ok"], true, "{reply}");
    assert_eq!(reply["staple"], Value::Null);
    assert_eq!(reply["chain"].as_array().unwrap().len(), 2);
}

#[test]
fn private_addresses_are_refused_unless_allowed() {
    let server = TlsServer::start("leaf-90d", None);
    let mut host = Companion::start(&[]);
    for (id, address) in [
        "127.0.0.1",
        "localhost",
        "[::1]",
        "::ffff:127.0.0.1",
        "10.0.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "fd00::1",
        "0.0.0.0",
    ]
    .into_iter()
    .enumerate()
    {
        let reply = host.ask(&json!({
            "id": id, "type": "probe", "host": address, "port": server.port,
        }));
        assert_eq!(code(&reply), "refused-address", "{address}: {reply}");
        assert!(
            reply["error"]["message"]
                .as_str()
                .unwrap()
                .contains("--allow-private"),
            "{reply}"
        );
    }
}

#[test]
fn hosts_and_ports_are_checked() {
    let mut host = Companion::start(&["--allow-private"]);
    let long = "a".repeat(300);
    for (id, bad) in [
        "https://x",
        "a b",
        "user@host",
        "",
        "example.org:443",
        "example.org/x",
        "127.1",
        long.as_str(),
    ]
    .into_iter()
    .enumerate()
    {
        let reply = host.ask(&json!({"id": id, "type": "probe", "host": bad}));
        assert_eq!(code(&reply), "bad-host", "{bad:?}: {reply}");
    }
    let reply = host.ask(&json!({"id": "n", "type": "probe", "host": 5}));
    assert_eq!(code(&reply), "bad-host");
    for (id, port) in [json!(0), json!(65536), json!("443"), json!(-1), json!(4.5)]
        .into_iter()
        .enumerate()
    {
        let reply =
            host.ask(&json!({"id": id, "type": "probe", "host": "a.example", "port": port}));
        assert_eq!(code(&reply), "bad-port", "{port}: {reply}");
    }
}

#[test]
fn malformed_requests_get_precise_errors() {
    let mut host = Companion::start(&[]);
    host.write(&frame(b"{not json"));
    let reply = host.reply();
    assert_eq!((code(&reply), reply.get("id")), ("bad-json", None));
    host.write(&frame(&[0xff, 0xfe]));
    assert_eq!(code(&host.reply()), "bad-json");
    host.write(&frame(b""));
    assert_eq!(code(&host.reply()), "bad-json");
    host.write(&frame(b"[1, 2]"));
    assert_eq!(code(&host.reply()), "not-an-object");
    host.send(&json!({"type": "hello"}));
    assert_eq!(code(&host.reply()), "missing-field");
    for (request, expected) in [
        (json!({"id": 1}), "missing-field"),
        (json!({"id": 2, "type": "reboot"}), "unknown-type"),
        (json!({"id": 3, "type": "probe"}), "missing-field"),
        (
            json!({"id": 4, "type": "hello", "extra": true}),
            "unknown-field",
        ),
        (
            json!({"id": 5, "type": "browser-lists", "browser": "firefox"}),
            "missing-field",
        ),
        (
            json!({"id": 6, "type": "probe", "host": "a.example", "timeout_ms": 0}),
            "bad-timeout",
        ),
        (
            json!({"id": 7, "type": "probe", "host": "a.example", "sni": "a b"}),
            "bad-sni",
        ),
    ] {
        let reply = host.ask(&request);
        assert_eq!(code(&reply), expected, "{request}: {reply}");
    }
    // Still serving after all that.
    assert_eq!(host.ask(&json!({"id": 8, "type": "hello"}))["ok"], true);
}

#[test]
fn an_oversized_length_ends_the_host() {
    for length in [64 * 1024 + 1, u32::MAX] {
        let mut host = Companion::start(&[]);
        host.send(&json!({"id": 1, "type": "hello"}));
        assert_eq!(host.reply()["ok"], true);
        // The prefix alone: the host must not wait for the body.
        host.write(&length.to_ne_bytes());
        let reply = host.reply();
        assert_eq!(
            (code(&reply), reply.get("id")),
            ("too-large", None),
            "{reply}"
        );
        let (status, stderr) = host.wait();
        assert_eq!(status.code(), Some(1), "{stderr}");
        assert!(stderr.starts_with("revoscope: companion: "), "{stderr}");
    }
}

#[test]
fn the_end_of_stdin_ends_the_host() {
    let host = Companion::start(&[]);
    let (status, stderr) = host.close();
    assert_eq!((status.code(), stderr.as_str()), (Some(0), ""));

    // Inside a message, it is an error.
    let mut host = Companion::start(&[]);
    host.write(&frame(b"{\"id\":1,\"type\":\"hello\"}")[..10]);
    let (status, stderr) = host.close();
    assert_eq!(status.code(), Some(1), "{stderr}");
}

/// Five probes of a server that never answers: the fifth is `busy`, a
/// `hello` is answered while the others wait, and each of those ends at
/// its deadline with `timeout`.
#[test]
fn slow_probes_hold_up_nothing_and_are_bounded() {
    // Connections queue in the backlog, never accepted: the handshake waits.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let mut host = Companion::start(&["--allow-private"]);
    for id in 1..=5 {
        host.send(&json!({
            "id": id, "type": "probe", "host": "127.0.0.1", "port": port, "timeout_ms": 1500,
        }));
    }
    let busy = host.reply();
    assert_eq!(
        (busy["id"].clone(), code(&busy)),
        (json!(5), "busy"),
        "{busy}"
    );
    assert_eq!(host.ask(&json!({"id": 6, "type": "hello"}))["ok"], true);
    let mut timed_out: Vec<u64> = (0..4)
        .map(|_| {
            let reply = host.reply();
            assert_eq!(code(&reply), "timeout", "{reply}");
            reply["id"].as_u64().unwrap()
        })
        .collect();
    timed_out.sort_unstable();
    assert_eq!(timed_out, [1, 2, 3, 4]);
    // The slots are free again.
    let reply = host.ask(&json!({
        "id": 7, "type": "probe", "host": "127.0.0.1", "port": port, "timeout_ms": 200,
    }));
    assert_eq!(code(&reply), "timeout");
}

#[test]
fn failed_connections_and_handshakes_say_which() {
    let mut host = Companion::start(&["--allow-private"]);
    let reply = host.ask(&json!({
        "id": 1, "type": "probe", "host": "127.0.0.1", "port": free_port(),
    }));
    assert_eq!(code(&reply), "connect", "{reply}");

    // A server that speaks something else than TLS.
    let plain = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = plain.local_addr().unwrap().port();
    thread::spawn(move || {
        if let Ok((mut client, _)) = plain.accept() {
            let _ = client.write_all(b"HTTP/1.0 400 Bad Request\r\n\r\n");
        }
    });
    let reply = host.ask(&json!({"id": 2, "type": "probe", "host": "127.0.0.1", "port": port}));
    assert_eq!(code(&reply), "tls", "{reply}");
}

fn touch(path: &Path, bytes: usize, age_secs: u64) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, vec![0u8; bytes]).unwrap();
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(age_secs))
        .unwrap();
}

/// `(kind, file name, size)` of each file listed, and its age checked.
fn listed(reply: &Value) -> Vec<(String, String, u64)> {
    assert_eq!(reply["ok"], true, "{reply}");
    reply["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let age = f["age_seconds"].as_u64().unwrap();
            assert!((3600..3700).contains(&age), "{f}");
            let path = Path::new(f["path"].as_str().unwrap());
            (
                f["kind"].as_str().unwrap().to_owned(),
                path.file_name().unwrap().to_string_lossy().into_owned(),
                f["size"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn browser_lists_finds_firefoxs_files() {
    let profile = Scratch::new("companion-firefox-profile");
    let state = profile.join("security_state");
    touch(&state.join("data.safe.bin"), 1000, 3600);
    touch(&state.join("crlite.filter"), 2000, 3600);
    touch(&state.join("20250101-1-filter.delta"), 30, 3600);
    touch(&state.join("crlite.stash"), 40, 3600);
    touch(&state.join("notes.txt"), 5, 3600);
    let mut host = Companion::start(&[]);
    let reply = host.ask(&json!({
        "id": 1, "type": "browser-lists", "browser": "firefox",
        "profile": profile.to_str().unwrap(),
    }));
    assert_eq!(reply["found"], true, "{reply}");
    let own = |kind: &str, name: &str, size| (kind.to_owned(), name.to_owned(), size);
    assert_eq!(
        listed(&reply),
        [
            own("crlite-delta", "20250101-1-filter.delta", 30),
            own("crlite-filter", "crlite.filter", 2000),
            own("crlite-stash", "crlite.stash", 40),
            own("cert-storage", "data.safe.bin", 1000),
            own("other", "notes.txt", 5),
        ]
    );

    // A profile without them.
    let empty = Scratch::new("companion-firefox-empty");
    let reply = host.ask(&json!({
        "id": 2, "type": "browser-lists", "browser": "firefox",
        "profile": empty.to_str().unwrap(),
    }));
    assert_eq!(
        (reply["found"].clone(), reply["files"].clone()),
        (json!(false), json!([]))
    );
}

#[test]
fn browser_lists_finds_the_newest_crlset() {
    let data = Scratch::new("companion-chromium-profile");
    let revocation = data.join("CertificateRevocation");
    touch(&revocation.join("9/crl-set"), 100, 3600);
    touch(&revocation.join("10/crl-set"), 200, 3600);
    touch(&revocation.join("10/manifest.json"), 10, 3600);
    fs::create_dir_all(revocation.join("not-a-version")).unwrap();
    fs::create_dir_all(data.join("Default")).unwrap();
    let mut host = Companion::start(&[]);
    for (id, (browser, profile)) in [
        ("chromium", data.to_path_buf()),
        // A profile inside the user data directory: the components are in its parent.
        ("chrome", data.join("Default")),
    ]
    .into_iter()
    .enumerate()
    {
        let reply = host.ask(&json!({
            "id": id, "type": "browser-lists", "browser": browser,
            "profile": profile.to_str().unwrap(),
        }));
        assert_eq!(
            (&reply["found"], &reply["version"], &reply["browser"]),
            (&json!(true), &json!("10"), &json!(browser)),
            "{reply}"
        );
        assert_eq!(
            listed(&reply),
            [("crl-set".to_owned(), "crl-set".to_owned(), 200)]
        );
    }

    let empty = Scratch::new("companion-chrome-empty");
    let reply = host.ask(&json!({
        "id": 9, "type": "browser-lists", "browser": "chrome",
        "profile": empty.to_str().unwrap(),
    }));
    assert_eq!(reply["found"], false, "{reply}");
    for (id, profile) in [(10, "relative/path"), (11, "/no/such/profile/anywhere")] {
        let reply = host.ask(&json!({
            "id": id, "type": "browser-lists", "browser": "chrome", "profile": profile,
        }));
        assert_eq!(code(&reply), "bad-profile", "{reply}");
    }
}

/// `revoscope ARGS` with HOME set to `home` and no XDG variables.
fn in_home(home: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_revoscope"))
        .args(args)
        .env("HOME", home)
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn install_writes_each_browsers_manifest_and_uninstall_removes_it() {
    use std::os::unix::fs::PermissionsExt as _;

    let home = Scratch::new("companion-home");
    let (status, out) = in_home(&home, &["companion", "install", "--allow-private"]);
    assert_eq!(status, 0, "{out}");
    let chrome_origin = json!(["chrome-extension://ogoemmgebbdliojbmmaioinhjnlbndio/"]);
    let manifests = [
        (
            ".mozilla/native-messaging-hosts",
            "allowed_extensions",
            json!(["revoscope@revoscope.invalid"]),
        ),
        (
            ".config/chromium/NativeMessagingHosts",
            "allowed_origins",
            chrome_origin.clone(),
        ),
        (
            ".config/google-chrome/NativeMessagingHosts",
            "allowed_origins",
            chrome_origin,
        ),
    ];
    let mut wrappers = Vec::new();
    for (dir, field, ids) in &manifests {
        let path = home.join(dir).join("org.revoscope.companion.json");
        assert!(out.contains(&format!("wrote {}", path.display())), "{out}");
        let manifest: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        assert_eq!(manifest["name"], "org.revoscope.companion");
        assert_eq!(manifest["type"], "stdio");
        assert_eq!(&manifest[field], ids, "{manifest}");
        let wrapper = Path::new(manifest["path"].as_str().unwrap()).to_path_buf();
        assert!(
            wrapper.is_absolute() && wrapper.starts_with(&*home),
            "{manifest}"
        );
        let mode = fs::metadata(&wrapper).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "{} is executable", wrapper.display());
        let script = fs::read_to_string(&wrapper).unwrap();
        assert!(script.ends_with(" companion --allow-private\n"), "{script}");
        wrappers.push(wrapper);
    }

    // The wrapper starts a working host, ignoring the browser's arguments.
    let mut started = Command::new(&wrappers[0]);
    started
        .arg("/path/to/manifest.json")
        .arg("revoscope@revoscope.invalid");
    let mut host = Companion::start_command(started, &[]);
    assert_eq!(host.ask(&json!({"id": 1, "type": "hello"}))["ok"], true);
    assert_eq!(host.close().0.code(), Some(0));

    let (status, out) = in_home(&home, &["companion", "uninstall"]);
    assert_eq!(status, 0, "{out}");
    for (dir, _, _) in &manifests {
        let path = home.join(dir).join("org.revoscope.companion.json");
        assert!(!path.exists(), "{}", path.display());
        assert!(
            out.contains(&format!("removed {}", path.display())),
            "{out}"
        );
    }
    for wrapper in &wrappers {
        assert!(!wrapper.exists(), "{}", wrapper.display());
    }
    let (status, out) = in_home(&home, &["companion", "uninstall", "--browser", "chrome"]);
    assert_eq!(
        (status, out.starts_with("chrome: nothing installed")),
        (0, true),
        "{out}"
    );
}

#[test]
fn install_for_one_browser_touches_only_its_place() {
    let home = Scratch::new("companion-home-one");
    let (status, out) = in_home(
        &home,
        &["companion", "install", "--browser", "firefox", "--user"],
    );
    assert_eq!(status, 0, "{out}");
    assert_eq!(out.lines().count(), 2, "{out}");
    let manifest = home.join(".mozilla/native-messaging-hosts/org.revoscope.companion.json");
    let manifest: Value = serde_json::from_slice(&fs::read(manifest).unwrap()).unwrap();
    let script = fs::read_to_string(manifest["path"].as_str().unwrap()).unwrap();
    assert!(script.ends_with(" companion\n"), "{script}");
    assert!(!home.join(".config").exists());

    let out = revoscope(["companion", "install", "--browser", "edge"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "revoscope: --browser \"edge\": give firefox, chromium or chrome (see revoscope --help)\n"
    );
}
