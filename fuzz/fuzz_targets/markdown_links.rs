//! Fuzz target `markdown_links`: see `signpost::fuzzing::markdown_links`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    signpost::fuzzing::markdown_links(data);
});
