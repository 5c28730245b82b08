//! Fuzz target `site_config`: see `signpost::fuzzing::site_config`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    signpost::fuzzing::site_config(data);
});
