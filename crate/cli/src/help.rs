//! The help text `--help`, `-h` and `revoscope help [COMMAND]` print:
//! written by hand, one topic per command, with the exit statuses.
//! (Clap parses the arguments; its generated help feeds the man page and
//! the shell completions, not this.)

use revoscope::policy::PRESET_NAMES;

/// What `--help` describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    General,
    Inspect,
    Ocsp,
    Crl,
    Onecrl,
    Crlite,
    Crlset,
    Companion,
}

const INSPECT_USAGE: &str =
    "  revoscope inspect (--chain FILE | https://HOST[:PORT]) [--onecrl FILE] [--policy NAME|FILE]
                    [--staple FILE] [--at RFC3339] [--no-fetch] [--timeout-ms MS] [--method get|post|auto]
                    [--responder URL] [--ocsp-cache FILE] [--built-in-root] [--crlite-dir DIR]
                    [--crl FILE]... [--json]";

const OCSP_USAGE: &str =
    "  revoscope ocsp --cert FILE --issuer FILE [--url URL] [--method get|post|auto]
                 [--timeout-ms MS] [--hash sha1|sha256] [--nonce] [--at RFC3339] [--json]";

const OCSP_OPTIONS: &str = "\
ocsp: ask a responder about one certificate, and judge the answer in full.
  --cert FILE         the certificate (PEM or DER; the first of a bundle)
  --issuer FILE       its issuer's certificate
  --url URL           the responder; default: the certificate's AIA OCSP URL
  --method M          get, post, or auto (as for inspect)
  --timeout-ms MS     default: 2000, the soft-fail timeout
  --hash H            the CertID hash: sha1 (default, as Firefox sends) or sha256
  --nonce             send a random 16-byte nonce (RFC 8954) and report whether it came back
  --at RFC3339        judge the answer at this time; default: now
  --json              print the query and its result as one JSON object
  exit status 3 when the responder says revoked, 0 for any other result";

const CRL_USAGE: &str =
    "  revoscope crl --cert FILE --issuer FILE [--crl FILE | --url URL] [--at RFC3339]
                [--timeout-ms MS] [--json]";

const CRL_OPTIONS: &str = "\
crl: judge one certificate against its issuer's CRL, in full: the list's issuer, signature,
thisUpdate, nextUpdate, CRL number and entries, its Issuing Distribution Point and whether it
covers the certificate, the certificate's entry if listed, and the result: good, revoked, or
offline with the error's code (stale, bad-signature, scope-mismatch, http-status, timeout...).
  --cert FILE         the certificate (PEM or DER; the first of a bundle)
  --issuer FILE       its issuer's certificate, which must have signed the CRL
  --crl FILE          the DER CRL, instead of fetching it
  --url URL           fetch the CRL from this http:// URL (a plain GET, no redirect, at
                      most 32 MiB); default: the certificate's first http CRL distribution
                      point
  --at RFC3339        judge the list at this time; default: now
  --timeout-ms MS     the fetch's timeout; default: 2000, the inspector preset's
  --json              print the list and the result as one JSON object
  exit status 0 good, 3 revoked (on hold included), 4 no usable answer (the list could not
  be fetched, read, verified, or used for this certificate: stale, out of scope...)";

const ONECRL_USAGE: &str = "  revoscope onecrl stats [--onecrl FILE] [--json]
  revoscope onecrl lookup --cert FILE [--onecrl FILE] [--json]
  revoscope onecrl verify --collection FILE [--signature SIG|FILE] --chain FILE [--signer NAME]
                          [--root-hash HEX]... [--at RFC3339] [--json]
  revoscope onecrl sync [--from URL] [--out FILE] [--base FILE] [--root-hash HEX]...
                        [--signer NAME] [--timeout SECS] [--json]";

const CRLITE_USAGE: &str =
    "  revoscope crlite sync [--from URL] [--dir DIR] [--channel NAME] [--root-hash HEX]...
                        [--signer NAME] [--timeout SECS] [--json]
  revoscope crlite query --cert FILE [--issuer FILE] [--dir DIR] [--at RFC3339] [--json]";

const CRLITE_OPTIONS: &str = "\
crlite sync: fetch the CRLite filters from a Remote Settings server as Firefox does: the
security-state/cert-revocations records (content signature as for onecrl sync), then the
newest full filter of the channel and the deltas chained to it, each file checked against
its signed record's size and SHA-256.
  --from URL          the server, ending in /v1;
                      default: https://firefox.settings.services.mozilla.com/v1
  --dir DIR           where the set is kept: records.json (the records, the base of the next,
                      incremental, sync), one <sha256>.filter per filter, index.json (the set
                      in force); default: $XDG_DATA_HOME/revoscope/crlite, else
                      ~/.local/share/revoscope/crlite. Files are written through a temporary
                      file and a rename, the index only once the whole set decoded, so a
                      failed sync leaves the set in force as it was
  --channel NAME      the records' channel; default: default (Firefox desktop's)
  --signer NAME       as for onecrl verify
  --root-hash HEX     as for onecrl verify
  --timeout SECS      for the whole sync, every download included; default: 300
  --json              print the report as one JSON object (also when the sync fails)

crlite query: what the kept filter set says of one certificate (Firefox's crlite_status
label: no_filter, not_covered, not_enrolled, not_revoked, revoked_in_filter), the filter that
decided, the set's age (ten days after the last install, Firefox stops using it), and the
certificate's embedded SCTs, each covered by the filters or not.
  --cert FILE         the certificate (PEM or DER; the first of a bundle)
  --issuer FILE       its issuer's certificate; default: the second certificate of --cert
  --dir DIR           the set kept by crlite sync; default as for sync
  --at RFC3339        judge the set's age at this time; default: now
  --json              print the answer as one JSON object";

const CRLSET_USAGE: &str =
    "  revoscope crlset sync [--from URL] [--dir DIR] [--key-sha256 HEX] [--timeout SECS] [--json]
  revoscope crlset query --cert FILE [--issuer FILE] [--dir DIR] [--json]
  revoscope crlset dump [--dir DIR | --file FILE] [--json]";

const CRLSET_OPTIONS: &str = "\
crlset sync: fetch Chrome's CRLSet as its component updater does: the update check for
component hfnkpimlhhgieaddgfemjhofmfblmnib names the CRX3 package, whose signatures, id
and publisher key are checked as Chrome checks them before its crl-set is read. A set whose
Sequence is below the kept one's (a rollback) is refused; the same Sequence is up to date.
  --from URL          the update server, without a query;
                      default: https://clients2.google.com/service/update2/crx
  --dir DIR           where the set is kept: crl-set, and crl-set.json (when and where from);
                      default: $XDG_DATA_HOME/revoscope/crlset, else
                      ~/.local/share/revoscope/crlset. Written through a temporary file and a
                      rename: a failed sync leaves the kept set as it was
  --key-sha256 HEX    SHA-256 of the publisher key's SubjectPublicKeyInfo; the component id is
                      that key's; default: Chrome's CRLSet key (kCrlSetPublicKeySHA256)
  --timeout SECS      for the whole sync, both requests included; default: 60
  --json              print the report as one JSON object (also when the sync fails)

crlset query: what the kept CRLSet says of one certificate, as Chrome checks a chain: a
blocked SPKI, a limited subject, the serial under its issuer's SPKI, or not listed; an
expired set answers unknown.
  --cert FILE         the certificate (PEM or DER; the first of a bundle)
  --issuer FILE       its issuer's certificate; default: the second certificate of --cert
                      (without one, only the SPKI and subject are checked)
  --dir DIR           the set kept by crlset sync; default as for sync
  --json              print the answer as one JSON object

crlset dump: the set's Sequence, NotAfter, parents with their serial counts, and blocked SPKIs.
  --dir DIR           the set kept by crlset sync; default as for sync
  --file FILE         a crl-set file instead
  --json              print it as one JSON object";

const COMPANION_USAGE: &str = "  revoscope companion [--allow-private]
  revoscope companion install [--browser firefox|chromium|chrome] [--user | --system]
                              [--allow-private]
  revoscope companion uninstall [--browser firefox|chromium|chrome] [--user | --system]";

const COMPANION_OPTIONS: &str = "\
companion: the extension's native messaging host. Browsers start it; it reads requests
(32-bit native-endian length, then UTF-8 JSON) on stdin and writes replies on stdout: hello,
probe (one TLS handshake with a host, giving its chain and stapled OCSP response; no HTTP,
nothing stored), browser-lists (the browser's own revocation files in a profile: path,
size, age). Requests are at most 64 KiB, probes at most 10 s and 4 at a time. Ends at the
end of stdin (exit 0), or after a too-large reply to a longer length (exit 1).
  --allow-private     let probes reach loopback, private (RFC 1918, RFC 4193), shared,
                      link-local and unspecified addresses; refused by default, checked on
                      every address a name resolves to

companion install: write the host manifest org.revoscope.companion.json where each browser
looks (Linux: ~/.mozilla/native-messaging-hosts, ~/.config/chromium/NativeMessagingHosts,
~/.config/google-chrome/NativeMessagingHosts; --system: /usr/lib/mozilla/native-messaging-hosts,
/etc/chromium/native-messaging-hosts, /etc/opt/chrome/native-messaging-hosts) and the
wrapper script it names ($XDG_DATA_HOME/revoscope/companion/BROWSER.sh, else
~/.local/share/revoscope/companion; --system: /usr/local/lib/revoscope/companion), which
runs this program's companion; prints the paths written.
companion uninstall: remove them; prints the paths removed.
  --browser B         only firefox, chromium or chrome; default: all three
  --user              for this user (the default)
  --system            for every user of the machine (needs root)
  --allow-private     install: the wrapper passes --allow-private";

const GENERATE_USAGE: &str = "  revoscope completions bash|zsh|fish|elvish|powershell
  revoscope man [--dir DIR]";

const GENERATE_OPTIONS: &str = "\
completions: print the completion script of a shell (bash, zsh, fish, elvish or powershell).
man: print the manual page revoscope(1), in roff.
  --dir DIR           instead, write revoscope.1 and one page per command
                      (revoscope-inspect.1, revoscope-onecrl-sync.1...) into DIR";

pub const EXIT_STATUS: &str = "\
exit status:
  0  the outcome is not block; onecrl lookup: the certificate is not listed;
     onecrl verify: the signature verifies; onecrl sync, crlite sync, crlset sync:
     updated, or up to date; crlite query: any answer but revoked_in_filter; crlset
     query: any answer but revoked; crl: good
  3  the outcome is block; onecrl lookup: OneCRL lists the certificate;
     onecrl verify: the signature is refused; crlite query: revoked_in_filter;
     crlset query: revoked; crl: revoked
  4  crl: no usable answer (the line error: or the JSON error.code says why)
  1  bad input or usage (one line on stderr: revoscope: ...); onecrl sync, crlite
     sync, crlset sync: the sync failed (the line names the failure's code; --json still prints
     the report); companion: a request's length over the limit, or stdin ended inside one";

fn inspect_options() -> String {
    format!(
        "\
inspect: walk a chain down the revocation ladder and report each certificate.
  --chain FILE        the chain, leaf first: a PEM bundle, or one DER certificate
                      (a leaf without its issuer: the issuer is fetched from its
                      AIA caIssuers URL; a self-signed certificate alone is a root)
  https://HOST[:PORT] instead of --chain: connect, and take the chain and the stapled
                      OCSP response the server sends (the chain is evaluated whatever
                      its trust; whether it verifies to Mozilla's store is reported, and
                      counts as --built-in-root)
  --onecrl FILE       a OneCRL snapshot (Remote Settings dump or changeset JSON);
                      default: the snapshot built into revoscope
  --policy NAME|FILE  a preset ({}; default inspector)
                      or a JSON policy file ({{\"base\": \"hard-fail\", ...}})
  --staple FILE       the DER OCSP response the server stapled for the leaf (with
                      https://, replaces what the server stapled)
  --at RFC3339        the evaluation time, e.g. 2026-11-21T12:00:00Z; default: now
  --no-fetch          never contact an OCSP responder, a caIssuers URL or a CRL server
                      (the step stays pending)
  --timeout-ms MS     live OCSP (caIssuers, CRL) timeout; default: the policy's (2000 soft-fail, 10000 hard-fail)
  --method M          get, post, or auto (default: GET when the request fits in 255
                      encoded bytes, POST otherwise or when GET gets an HTTP error)
  --responder URL     send the request to URL instead of the certificate's responder
                      (the verdict's sentences still name the certificate's)
  --ocsp-cache FILE   keep OCSP answers in FILE between runs (good until they expire,
                      revoked forever, failures for 5 minutes)
  --built-in-root     the chain ends in a root of the browser's built-in store
  --crlite-dir DIR    use the CRLite filter set kept in DIR by crlite sync (policies with
                      CRLite on: firefox-today enforces it); default: no filters
  --crlset FILE       a raw CRLSet file (Chrome's crl-set) for policies with the CRLSet on
                      (chrome-today enforces it); default: none
  --compare           also show the chain under firefox-today, chrome-today, mozilla-plan
                      and hard-fail (and the policy in force): per view the outcome, the
                      step that decided the leaf, and the data the view lacked
  --crl FILE          a DER CRL for the leaf (repeatable), used instead of fetching the one
                      the CRL step asks for (policies with the CRL rung on: inspector); the
                      first that reads as the issuer's, preferring one whose scope names the
                      leaf's URL. Without --crl the CRL is fetched (a plain http:// GET under
                      --timeout-ms), unless --no-fetch
  --json              print the verdict as one JSON object",
        PRESET_NAMES.join(", ")
    )
}

const ONECRL_OPTIONS: &str = "\
onecrl stats: what a OneCRL snapshot holds, and which records could not be used.
onecrl lookup: whether OneCRL lists a certificate, and the record that does.
  --cert FILE         the certificate (PEM or DER; the first of a bundle)
  --onecrl FILE       a OneCRL snapshot; default: the snapshot built into revoscope
  --json              print the answer as one JSON object

onecrl verify: check a collection's content signature as Firefox does (signer,
chain to a pinned root, validity, P-384 ECDSA over the canonical JSON).
  --collection FILE   a Remote Settings changeset ({\"changes\": [...], \"timestamp\": N,
                      \"metadata\": {...}}) or a dump ({\"data\": [...], \"timestamp\": N})
  --signature SIG     p384ecdsa=<base64url> or the bare base64url, or a file holding it;
                      default: the changeset's metadata.signature
  --chain FILE        the signer's PEM chain, end entity first (what its x5u URL serves)
  --signer NAME       the name the signer's certificate must carry;
                      default: onecrl.content-signature.mozilla.org
  --root-hash HEX     SHA-256 of a pinned root's DER (repeatable); replaces Mozilla's
                      content-signature roots
  --at RFC3339        check validity at this time; default: now
  --json              print the answer as one JSON object
  exit status 3 when the signature is refused (the line \"why:\" says which check failed)

onecrl sync: fetch OneCRL from a Remote Settings server as Firefox does (the monitor's
timestamp, the changeset, each signature's x5u chain), and keep it only if it verifies.
  --from URL          the server, ending in /v1;
                      default: https://firefox.settings.services.mozilla.com/v1
  --base FILE         the collection in force, a dump (a previous --out): fetch only the
                      changes since its timestamp (the whole collection when those do not
                      verify), refuse an older one (rollback), and check the signer
                      against its OneCRL; a FILE that does not exist yet counts as none;
                      default: none, and the built-in snapshot's OneCRL
  --out FILE          write the verified collection there as a dump (through FILE.tmp and
                      a rename) when the sync updates it; never touched otherwise
  --signer NAME       as for verify
  --root-hash HEX     as for verify
  --timeout SECS      for the whole sync, every request included; default: 60
  --json              print the report as one JSON object (also when the sync fails)
  exit status 1 when the sync fails; nothing is written then";

/// Every command with its flags, one usage line (or a few) each.
pub fn synopsis() -> String {
    format!(
        "{INSPECT_USAGE}\n{OCSP_USAGE}\n{CRL_USAGE}\n{ONECRL_USAGE}\n{CRLITE_USAGE}\n{CRLSET_USAGE}\n{COMPANION_USAGE}\n  \
         revoscope help [inspect|ocsp|crl|onecrl|crlite|crlset|companion]\n{GENERATE_USAGE}\n  revoscope --version"
    )
}

/// The help text for a topic.
pub fn usage(topic: Topic) -> String {
    match topic {
        Topic::General => format!(
            "revoscope {}: certificate revocation as Firefox and Mozilla's revocation plan decide it\n\n\
             usage:\n{}\n\n\
             {}\n\n{OCSP_OPTIONS}\n\n{CRL_OPTIONS}\n\n{ONECRL_OPTIONS}\n\n{CRLITE_OPTIONS}\n\n{CRLSET_OPTIONS}\n\n{COMPANION_OPTIONS}\n\n{GENERATE_OPTIONS}\n\n{EXIT_STATUS}\n",
            env!("CARGO_PKG_VERSION"),
            synopsis(),
            inspect_options()
        ),
        Topic::Inspect => format!("usage:\n{INSPECT_USAGE}\n\n{}\n\n{EXIT_STATUS}\n", inspect_options()),
        Topic::Ocsp => format!("usage:\n{OCSP_USAGE}\n\n{OCSP_OPTIONS}\n\n{EXIT_STATUS}\n"),
        Topic::Crl => format!("usage:\n{CRL_USAGE}\n\n{CRL_OPTIONS}\n\n{EXIT_STATUS}\n"),
        Topic::Onecrl => format!("usage:\n{ONECRL_USAGE}\n\n{ONECRL_OPTIONS}\n\n{EXIT_STATUS}\n"),
        Topic::Crlite => format!("usage:\n{CRLITE_USAGE}\n\n{CRLITE_OPTIONS}\n\n{EXIT_STATUS}\n"),
        Topic::Crlset => format!("usage:\n{CRLSET_USAGE}\n\n{CRLSET_OPTIONS}\n\n{EXIT_STATUS}\n"),
        Topic::Companion => format!("usage:\n{COMPANION_USAGE}\n\n{COMPANION_OPTIONS}\n\n{EXIT_STATUS}\n"),
    }
}
