//! Fuzz target `facility_yaml`: see `signpost::fuzzing::facility_yaml`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    signpost::fuzzing::facility_yaml(data);
});
