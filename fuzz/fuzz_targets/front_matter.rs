//! Fuzz target `front_matter`: see `signpost::fuzzing::front_matter`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    signpost::fuzzing::front_matter(data);
});
