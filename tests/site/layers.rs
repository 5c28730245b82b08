//! The stage order written in `src/lib.rs` is the law of imports: a module
//! may use only the stages before it. This test reads every `crate::` path
//! in `src/` and fails on one that runs against the order.

use std::collections::BTreeMap;
use std::path::Path;

/// Stage → rank, from the arrow line(s) of lib.rs's `//!` (`a → b → {c, d}`).
fn stage_order(lib: &str) -> BTreeMap<String, usize> {
    let chain: String = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .skip_while(|l| !l.contains('→'))
        .take_while(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut ranks = BTreeMap::new();
    for (rank, step) in chain.split('→').enumerate() {
        for name in step
            .split(|c: char| "{}, ".contains(c))
            .filter(|n| !n.is_empty())
        {
            ranks.insert(name.to_string(), rank);
        }
    }
    ranks
}

/// Every `crate::<module>` a source text names outside comments.
fn imported_stages(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        for (at, _) in code.match_indices("crate::") {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let name: String = code[at + 7..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push((number + 1, name));
            }
        }
    }
    found
}

#[test]
fn imports_follow_the_stage_order_of_lib_rs() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let ranks = stage_order(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    assert!(ranks.len() > 10, "lib.rs names the stage order: {ranks:?}");
    // The crate root, the binary and the fuzz entry points sit above every stage.
    let above_all = ["lib", "main", "fuzzing"];
    let mut wrong = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).unwrap();
        let module = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if above_all.contains(&module.as_str()) {
            continue;
        }
        let Some(&rank) = ranks.get(&module) else {
            wrong.push(format!(
                "{}: module `{module}` is not in lib.rs's stage order",
                relative.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(path).unwrap();
        for (line, used) in imported_stages(&text) {
            if used == module {
                continue;
            }
            match ranks.get(&used) {
                Some(&other) if other < rank => {}
                _ => wrong.push(format!(
                    "{}:{line}: `{module}` uses `crate::{used}`, which does not come before it",
                    relative.display()
                )),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the stage order:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_order_reader_sees_siblings_as_one_rank() {
    let ranks = stage_order("//! Order:\n//!\n//! a → b →\n//! {c, d} → e\n//!\n//! - more");
    assert_eq!(ranks["a"], 0);
    assert_eq!(ranks["c"], ranks["d"]);
    assert!(ranks["e"] > ranks["d"]);
    let uses = imported_stages("use crate::b::X; // crate::z\nlet a = $crate::q; crate::c::f();");
    assert_eq!(uses, vec![(1, "b".to_string()), (2, "c".to_string())]);
}

/// Every `.rs` file under `src/`, with its path relative to `src/`.
fn source_files() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    walkdir::WalkDir::new(&src)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let relative = e.path().strip_prefix(&src).unwrap().display().to_string();
            (relative, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn no_source_file_is_over_600_lines() {
    let long: Vec<String> = source_files()
        .into_iter()
        .filter(|(_, text)| text.lines().count() > 600)
        .map(|(path, text)| format!("{path}: {} lines", text.lines().count()))
        .collect();
    assert!(
        long.is_empty(),
        "split these by what their parts do: {long:?}"
    );
}

#[test]
fn the_crate_has_at_most_eight_public_modules() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let public: Vec<&str> = lib
        .lines()
        .filter(|l| l.trim_start().starts_with("pub mod "))
        .collect();
    assert!(
        public.len() <= 8,
        "the crate's API is its re-exports: {public:?}"
    );
    // And no stage module leaks out under another visibility spelling.
    assert!(
        !lib.contains("pub(crate) mod"),
        "stage modules are plain `mod`"
    );
}
