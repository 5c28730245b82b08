//! Every input the fuzzers found (`tests/fuzz_regressions/<target>/`) and every
//! seed (`fuzz/seeds/<target>/`) replayed through the same entry points as the
//! fuzz targets (`signpost::fuzzing`), so a fixed crash stays fixed without
//! needing cargo-fuzz or a nightly compiler.

use std::path::Path;

#[test]
fn every_found_input_and_seed_replays_cleanly() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for target in signpost::fuzzing::TARGETS {
        let mut replayed = 0;
        for folder in ["tests/fuzz_regressions", "fuzz/seeds"] {
            let dir = repo.join(folder).join(target);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
            paths.sort();
            for path in paths {
                let bytes = std::fs::read(&path).unwrap();
                let outcome = std::panic::catch_unwind(|| signpost::fuzzing::run(target, &bytes));
                assert!(
                    matches!(outcome, Ok(true)),
                    "{target}: {} fails again",
                    path.display()
                );
                replayed += 1;
            }
        }
        assert!(replayed > 0, "{target}: nothing to replay");
    }
}
