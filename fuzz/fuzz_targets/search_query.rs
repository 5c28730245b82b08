//! Fuzz target `search_query`: see `signpost::fuzzing::search_query`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    signpost::fuzzing::search_query(data);
});
