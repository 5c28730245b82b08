//! Every input the fuzzers found (`tests/fuzz_regressions/<target>/`) and every
//! seed (`fuzz/seeds/<target>/`) replayed through the same entry points as the
//! fuzz targets (`signpost::fuzzing`), so a fixed crash stays fixed without
//! needing cargo-fuzz or a nightly compiler. (That the targets themselves
//! still compile is `.ci/run`'s job: it builds `fuzz/`.)

use std::collections::BTreeSet;
use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The names of the folders (or, with `ext`, the stems of the files with
/// that extension) in `dir`.
fn names(dir: &Path, ext: Option<&str>) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| match ext {
            None => p.is_dir(),
            Some(ext) => p.extension().is_some_and(|e| e == ext),
        })
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn every_found_input_and_seed_replays_cleanly() {
    let mut found = 0;
    for target in signpost::fuzzing::TARGETS {
        let mut replayed = 0;
        for folder in ["tests/fuzz_regressions", "fuzz/seeds"] {
            let dir = repo().join(folder).join(target);
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
                if folder == "tests/fuzz_regressions" {
                    found += 1;
                }
            }
        }
        assert!(replayed > 0, "{target}: nothing to replay");
    }
    assert!(found > 0, "no input the fuzzers found was replayed");
}

/// The replay above reaches only the targets `signpost::fuzzing::TARGETS`
/// names: every fuzz target of `fuzz/` is one of them, and every folder of
/// found inputs and seeds belongs to one, so no saved crash input is left
/// out of the replay by a misspelt or forgotten name.
#[test]
fn every_fuzz_target_and_saved_input_folder_is_replayed() {
    let targets: BTreeSet<String> = signpost::fuzzing::TARGETS
        .iter()
        .map(|t| t.to_string())
        .collect();
    assert_eq!(
        names(&repo().join("fuzz/fuzz_targets"), Some("rs")),
        targets,
        "fuzz/fuzz_targets/*.rs and signpost::fuzzing::TARGETS differ"
    );
    let manifest = std::fs::read_to_string(repo().join("fuzz/Cargo.toml")).unwrap();
    let bins: BTreeSet<String> = manifest
        .split("[[bin]]")
        .skip(1)
        .filter_map(|bin| {
            bin.lines()
                .find_map(|l| l.trim().strip_prefix("name = "))
                .map(|name| name.trim_matches('"').to_string())
        })
        .collect();
    assert_eq!(
        bins, targets,
        "fuzz/Cargo.toml's [[bin]]s and TARGETS differ"
    );
    for folder in ["tests/fuzz_regressions", "fuzz/seeds"] {
        let unknown: Vec<String> = names(&repo().join(folder), None)
            .difference(&targets)
            .cloned()
            .collect();
        assert!(
            unknown.is_empty(),
            "{folder}: no fuzz target is called {unknown:?}, so these inputs are never replayed"
        );
    }
}
