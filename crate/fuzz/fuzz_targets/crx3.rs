#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| revoscope_fuzz::targets::crx3(data));
