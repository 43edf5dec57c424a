//! The CLI contract: JSON shape, exit codes (0, 3 on block, 1 on bad input).
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;

mod support;

use support::fixture_path as fixture;
use support::programs::{revoscope, revoscope_json};

fn inspect_json(chain: &str, extra: &[&str]) -> (Value, i32) {
    let chain = fixture(&format!("pki/chains/{chain}.pem"));
    let test_onecrl = fixture("pki/onecrl-test.json");
    let mut args = vec![
        "inspect",
        "--chain",
        &chain,
        "--onecrl",
        &test_onecrl,
        "--at",
        "2026-11-21T12:00:00Z",
        "--json",
    ];
    args.extend(extra);
    revoscope_json(args)
}

#[test]
fn json_has_the_contract_fields() {
    let (v, code) = inspect_json("leaf-90d", &["--no-fetch"]);
    assert_eq!(code, 0);
    for key in [
        "policy",
        "evaluated_at",
        "onecrl",
        "certificates",
        "outcome",
        "hard_fail_would_block",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["onecrl"]["records"], 2);
    assert_eq!(v["onecrl"]["timestamp"], 1_793_500_000_001u64);
    let leaf = &v["certificates"][0];
    for key in [
        "index",
        "role",
        "subject",
        "issuer",
        "serial_hex",
        "status",
        "decided_by",
        "reason",
        "trace",
    ] {
        assert!(leaf.get(key).is_some(), "missing certificates[0].{key}");
    }
    assert_eq!(
        (leaf["role"].as_str(), leaf["status"].as_str()),
        (Some("leaf"), Some("pending"))
    );
    assert_eq!(v["certificates"][2]["role"], "root");
    for entry in leaf["trace"].as_array().unwrap() {
        assert!(
            entry["step"].is_string()
                && entry["outcome"].is_string()
                && entry["detail"].is_string()
        );
    }
    assert_eq!(v["hard_fail_would_block"], Value::Null);
    assert_eq!(v["outcome"], "incomplete");
}

#[test]
fn exit_status_follows_the_outcome() {
    assert_eq!(inspect_json("leaf-6d", &[]).1, 0);
    assert_eq!(inspect_json("leaf-no-aia", &[]).1, 0);
    let (v, code) = inspect_json("leaf-under-revoked-key", &[]);
    assert_eq!((v["outcome"].as_str(), code), (Some("block"), 3));
    assert_eq!(inspect_json("leaf-must-staple", &[]).1, 3);
    assert_eq!(
        inspect_json(
            "leaf-90d",
            &["--policy", "firefox-today", "--built-in-root"]
        )
        .0["certificates"][0]["decided_by"],
        "policy"
    );
}

#[test]
fn policy_files_are_read() {
    let dir = std::env::temp_dir().join(format!("revoscope-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("strict.json");
    std::fs::write(
        &file,
        r#"{"base": "hard-fail", "name": "strict", "without_revocation_info": "block"}"#,
    )
    .unwrap();
    let (v, code) = inspect_json("leaf-no-aia", &["--policy", file.to_str().unwrap()]);
    assert_eq!(
        (v["policy"].as_str(), v["outcome"].as_str(), code),
        (Some("strict"), Some("block"), 3)
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn bad_input_is_one_line_and_exit_1() {
    let missing = revoscope(["inspect", "--chain", "/nonexistent/chain.pem"]);
    let not_a_chain = revoscope(["inspect", "--chain", &fixture("pki/onecrl-test.json")]);
    let bad_time = revoscope([
        "inspect",
        "--chain",
        &fixture("pki/chains/leaf-6d.pem"),
        "--at",
        "yesterday",
    ]);
    let bad_policy = revoscope([
        "inspect",
        "--chain",
        &fixture("pki/chains/leaf-6d.pem"),
        "--policy",
        "lenient",
    ]);
    let usage = revoscope(["inspect"]);
    let unknown = revoscope(["frobnicate"]);
    for (what, out) in [
        ("missing", missing),
        ("not a chain", not_a_chain),
        ("time", bad_time),
        ("policy", bad_policy),
        ("usage", usage),
        ("unknown", unknown),
    ] {
        assert_eq!(out.status.code(), Some(1), "{what}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{what}: {err}");
        assert!(err.starts_with("revoscope: "), "{what}: {err}");
    }
}

#[test]
fn onecrl_stats_and_lookup() {
    let out = revoscope(["onecrl", "stats", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (stats["records"].as_u64(), stats["timestamp"].as_u64()),
        (Some(1918), Some(1_793_208_925_525))
    );

    let test_onecrl = fixture("pki/onecrl-test.json");
    let listed = revoscope([
        "onecrl",
        "lookup",
        "--cert",
        &fixture("pki/int-revoked-serial.pem"),
        "--onecrl",
        &test_onecrl,
        "--json",
    ]);
    assert_eq!(listed.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(
        (v["listed"].as_bool(), v["record"]["id"].as_str()),
        (Some(true), Some("test-revoked-by-serial"))
    );
    let clean = revoscope([
        "onecrl",
        "lookup",
        "--cert",
        &fixture("pki/int-good.pem"),
        "--onecrl",
        &test_onecrl,
        "--json",
    ]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(
        serde_json::from_slice::<Value>(&clean.stdout).unwrap()["listed"],
        false
    );
}

#[test]
fn readable_report_names_the_deciding_step() {
    let out = revoscope([
        "inspect",
        "--chain",
        &fixture("pki/chains/leaf-6d.pem"),
        "--at",
        "2026-11-21T12:00:00Z",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("exempt decided by short-lived"), "{text}");
    assert!(text.contains("hard-fail would block: no"), "{text}");
}

/// A leaf under the test intermediate whose SCT list extension wraps the
/// list in an OCTET STRING with a non-minimal length (`04 81 6c`), as some
/// real certificates do: read, not refused.
#[test]
fn a_certificate_with_an_unreadable_sct_list_is_still_inspected() {
    use der::Decode;
    use support::pki::{issue, key, pem, sct_list, Spec};

    let scratch = support::programs::Scratch::new("bad-sct-list");
    let int_good = std::fs::read_to_string(fixture("pki/int-good.pem")).unwrap();
    let int_der = support::chain(int_good.as_bytes()).remove(0);
    let int_cert = revoscope::Cert::from_der(&int_der).unwrap();
    let issuer = x509_cert::name::Name::from_der(&int_cert.subject_der).unwrap();
    let mut spec = Spec::new("CN=bad-scts.revoscope.test", &issuer, 0x2b);
    let list = sct_list(&[(0xA1, support::pki::LEAF_NOT_BEFORE * 1000)]);
    let mut value = vec![0x04, 0x81, u8::try_from(list.len()).unwrap()];
    value.extend(&list);
    spec.sct_extension_value = Some(value);
    let leaf = pem(&issue(&spec, &key("bad-scts"), &key("int-good")));
    let leaf_path = scratch.join("leaf.pem");
    std::fs::write(&leaf_path, &leaf).unwrap();
    let chain_path = scratch.join("chain.pem");
    std::fs::write(&chain_path, format!("{leaf}{int_good}")).unwrap();

    let (v, code) = revoscope_json([
        "inspect",
        "--chain",
        chain_path.to_str().unwrap(),
        "--onecrl",
        &fixture("pki/onecrl-test.json"),
        "--at",
        "2026-11-21T12:00:00Z",
        "--no-fetch",
        "--json",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(
        v["certificates"][0]["subject"],
        "CN=bad-scts.revoscope.test"
    );

    let (v, code) = revoscope_json([
        "onecrl",
        "lookup",
        "--cert",
        leaf_path.to_str().unwrap(),
        "--onecrl",
        &fixture("pki/onecrl-test.json"),
        "--json",
    ]);
    assert_eq!((code, &v["listed"]), (0, &Value::Bool(false)), "{v}");
}

/// `--chain` as users' files hold it: the test chain re-wrapped at 76
/// columns with CRLF, a description before each block, the legacy label on
/// the intermediate; and a damaged one refused with the block and line.
#[test]
fn chains_are_read_as_openssl_reads_them() {
    use base64::Engine as _;
    let scratch = support::programs::Scratch::new("lax-pem");
    let pem = std::fs::read(fixture("pki/chains/leaf-90d.pem")).unwrap();
    let ders = revoscope::pem::read_certificates(&pem).unwrap();
    let mut text = String::new();
    for (i, der) in ders.iter().enumerate() {
        let label = if i == 1 {
            "X509 CERTIFICATE"
        } else {
            "CERTIFICATE"
        };
        text.push_str(&format!(
            "subject=certificate {i}\r\n-----BEGIN {label}-----\r\n"
        ));
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        for line in b64.as_bytes().chunks(76) {
            text.push_str(std::str::from_utf8(line).unwrap());
            text.push_str(" \r\n");
        }
        text.push_str(&format!("-----END {label}-----\r\n\r\n"));
    }
    let lax = scratch.join("lax.pem");
    std::fs::write(&lax, &text).unwrap();
    let (v, code) = revoscope_json([
        "inspect",
        "--chain",
        lax.to_str().unwrap(),
        "--onecrl",
        &fixture("pki/onecrl-test.json"),
        "--at",
        "2026-11-21T12:00:00Z",
        "--no-fetch",
        "--json",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["certificates"].as_array().unwrap().len(), ders.len());
    assert_eq!(
        v["certificates"][0]["subject"],
        "CN=leaf-90d.revoscope.test"
    );

    let damaged = scratch.join("damaged.pem");
    // The first body line of the second block, its second character.
    let at = text.find("-----BEGIN X509 CERTIFICATE-----\r\n").unwrap() + 34 + 1;
    let line = text[..at].matches("\r\n").count() + 1;
    let mut bytes = text.into_bytes();
    bytes[at] = b'*';
    std::fs::write(&damaged, bytes).unwrap();
    let out = revoscope([
        "inspect",
        "--chain",
        damaged.to_str().unwrap(),
        "--no-fetch",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "bad PEM: block 2 (X509 CERTIFICATE) is not Base64 at line {line}: \
             * is not a Base64 character"
        )),
        "{err}"
    );
}
