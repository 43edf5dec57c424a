//! Times the engine's start-up steps natively: the OneCRL dump parsed into
//! a `Snapshot`, and the CRLite bench set (scripts/bench-crlite.mjs builds it
//! into `target/bench/crlite`) decoded filter by filter, then indexed as a
//! set. The wasm figures are scripts/bench-engine-load.mjs's; this splits
//! them without a JavaScript host.
//!
//! `cargo run --release -p revoscope --example time_load [-- ONECRL.json CRLITE_DIR]`

use std::time::Instant;

use revoscope::crlite::sync::StoredIndex;
use revoscope::crlite::{Filter, FilterSet};
use revoscope::{Snapshot, UnixTime};

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let mut args = std::env::args().skip(1);
    let onecrl_path = args
        .next()
        .unwrap_or_else(|| "fixtures/onecrl/onecrl.json".into());
    let dir = args.next().unwrap_or_else(|| "target/bench/crlite".into());
    let onecrl = std::fs::read(&onecrl_path).expect("the OneCRL dump");
    let index_json = std::fs::read(format!("{dir}/index.json")).expect("the bench set's index");
    let index = StoredIndex::from_json(&index_json).expect("an index");
    let files: Vec<Vec<u8>> = index
        .filters
        .iter()
        .map(|f| std::fs::read(format!("{dir}/filters/{}", f.hash)).expect("a filter file"))
        .collect();

    for round in 0..5 {
        let t = Instant::now();
        let snapshot = Snapshot::from_json(&onecrl).expect("the dump loads");
        let onecrl_ms = ms(t);

        let t = Instant::now();
        let full = Filter::from_bytes(index.filters[0].meta.clone(), &files[0]).expect("full");
        let full_ms = ms(t);
        let t = Instant::now();
        let mut filters = vec![full];
        for (stored, bytes) in index.filters.iter().zip(&files).skip(1) {
            filters.push(Filter::from_bytes(stored.meta.clone(), bytes).expect("a delta"));
        }
        let deltas_ms = ms(t);
        let t = Instant::now();
        let set =
            FilterSet::new(filters, UnixTime::from_millis(index.installed_at_ms)).expect("a set");
        let set_ms = ms(t);
        println!(
            "round {round}: onecrl {onecrl_ms:.2} ms ({} records); full filter {full_ms:.2} ms, \
             {} deltas {deltas_ms:.2} ms, set index {set_ms:.2} ms",
            snapshot.records().len(),
            set.deltas().len()
        );
    }
}
