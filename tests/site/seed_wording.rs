//! The guide is written in its own words: no run of 20 Han characters or 60
//! Latin/Cyrillic letters may be shared with a source text (`../shared/seeds`),
//! outside the citations (`sources:` entries) and a short allow-list of names,
//! titles and figures. `SIGNPOST_SEEDS` names another folder of seeds.
//!
//! Both sides are folded before comparing: Traditional to Simplified with
//! OpenCC's standard data, letters to lower case, and everything that is not a
//! Han character (for the Han runs) or a letter (for the letter runs) dropped,
//! so punctuation, spacing and digits do not hide a copied sentence.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use signpost::fuzzing::{Direction, convert_standard};

/// A shared run of this many Han characters is a copied sentence.
const HAN_RUN: usize = 20;
/// A shared run of this many letters (Latin or Cyrillic) is a copied sentence.
const LETTER_RUN: usize = 60;

/// Names, titles and figures the guide may quote as they are.
const ALLOWED: &[&str] = &[
    // The nine scenarios of the guidelines, listed in their official order.
    "宜居社区、邻里交往、教育文化、创新事业、医疗健康、交通网络、生态低碳、服务配套、管理治理",
    // The eight communities, in the order the sources list them.
    "朝阳望京、中关村科学城、未来科学城、新首钢、通州、顺义、怀柔科学城、经济技术开发区",
    // Titles of the guidelines and of the sources.
    "首都国际人才社区建设导则（试行版）",
    "高品质人才社区建设导则",
    "北京推进国际交往中心功能建设领导小组",
    "北京推进国际交往中心功能建设新闻发布会",
    "74 Key Tasks and 42 Major Projects Finalized—Beijing Releasing Huge Energy as the Center for International Exchanges",
    "Микрорайоны для высококвалифицированных специалистов",
    "Three-Year Action Plan on the Development of International Schools",
    // Hospitals the English source names (it gives no Chinese names).
    "Peking Union Medical College Hospital",
    "China-Japan Friendship Hospital",
    "Beijing Friendship Hospital",
    // The Russian name of 海外高层次人才大厦 on the city's Russian site.
    "здание для зарубежных высококвалифицированных специалистов",
];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Han,
    Letter,
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// The characters of `text` that count for `kind`, folded.
fn stream(text: &str, kind: Kind) -> Vec<char> {
    let folded = convert_standard(Direction::HantToHans, text);
    match kind {
        Kind::Han => folded.chars().filter(|&c| is_han(c)).collect(),
        Kind::Letter => folded
            .chars()
            .filter(|&c| c.is_alphabetic() && !is_han(c))
            .flat_map(char::to_lowercase)
            .map(|c| if c == 'ё' { 'е' } else { c })
            .collect(),
    }
}

/// Every window of `len` characters of `text`.
fn windows(text: &[char], len: usize) -> impl Iterator<Item = String> + '_ {
    text.windows(len).map(|w| w.iter().collect())
}

/// Marks the positions of `text` covered by an allowed phrase.
fn allowed_positions(text: &[char], kind: Kind) -> Vec<bool> {
    let mut allowed = vec![false; text.len()];
    for phrase in ALLOWED {
        let phrase = stream(phrase, kind);
        if phrase.is_empty() || phrase.len() > text.len() {
            continue;
        }
        for start in 0..=text.len() - phrase.len() {
            if text[start..start + phrase.len()] == phrase[..] {
                allowed[start..start + phrase.len()].fill(true);
            }
        }
    }
    allowed
}

/// Drops the `sources:` block (the citations) from a front matter or YAML file.
fn without_citations(text: &str) -> String {
    let mut kept = String::new();
    let mut in_sources = false;
    for line in text.lines() {
        let top_level = !line.starts_with([' ', '\t', '-']) && !line.is_empty();
        if top_level {
            in_sources = line.starts_with("sources:");
        }
        if !in_sources {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("md" | "yaml")
        ) {
            out.push(path);
        }
    }
}

/// The runs of `text` (at least `len` long) that occur in a seed, each with its seed.
fn shared_runs(
    text: &[char],
    allowed: &[bool],
    seeds: &HashMap<String, String>,
    len: usize,
) -> Vec<(String, String)> {
    let mut runs = Vec::new();
    let mut current: Option<(usize, usize, String)> = None;
    for start in 0..text.len().saturating_sub(len - 1) {
        let window: String = text[start..start + len].iter().collect();
        let hit = seeds
            .get(&window)
            .filter(|_| !allowed[start..start + len].iter().any(|&a| a));
        match (hit, current.as_mut()) {
            (Some(_), Some((_, end, _))) if start <= *end => *end = start + len,
            (Some(seed), _) => {
                if let Some((s, e, seed)) = current.take() {
                    runs.push((text[s..e].iter().collect(), seed));
                }
                current = Some((start, start + len, seed.clone()));
            }
            (None, _) => {}
        }
    }
    if let Some((s, e, seed)) = current {
        runs.push((text[s..e].iter().collect(), seed));
    }
    runs
}

#[test]
fn content_shares_no_long_run_with_the_seeds() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Beside the repository, as in CI; `SIGNPOST_SEEDS` points elsewhere (a git worktree).
    let seed_dir = std::env::var_os("SIGNPOST_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("../shared/seeds"));
    let mut seed_files: Vec<PathBuf> = std::fs::read_dir(&seed_dir)
        .unwrap_or_else(|e| {
            panic!(
                "cannot read the seeds at {} (set SIGNPOST_SEEDS): {e}",
                seed_dir.display()
            )
        })
        .map(|entry| entry.unwrap().path())
        .collect();
    seed_files.sort();
    assert!(!seed_files.is_empty(), "no seeds in {}", seed_dir.display());

    let mut report = Vec::new();
    for (kind, len) in [(Kind::Han, HAN_RUN), (Kind::Letter, LETTER_RUN)] {
        let mut seeds: HashMap<String, String> = HashMap::new();
        for seed in &seed_files {
            let name = seed.file_name().unwrap().to_string_lossy().into_owned();
            let text = stream(&std::fs::read_to_string(seed).unwrap(), kind);
            for window in windows(&text, len) {
                seeds.entry(window).or_insert_with(|| name.clone());
            }
        }
        let mut pages = Vec::new();
        files(&repo.join("content"), &mut pages);
        files(&repo.join("i18n"), &mut pages);
        pages.sort();
        let mut seen = HashSet::new();
        for page in pages {
            let text = without_citations(&std::fs::read_to_string(&page).unwrap());
            let text = stream(&text, kind);
            let allowed = allowed_positions(&text, kind);
            for (run, seed) in shared_runs(&text, &allowed, &seeds, len) {
                let file = page.strip_prefix(repo).unwrap().display().to_string();
                if seen.insert((file.clone(), run.clone())) {
                    report.push(format!(
                        "{file}: {} shared with {seed}: {run}",
                        run.chars().count()
                    ));
                }
            }
        }
    }
    assert!(
        report.is_empty(),
        "{} runs copied from the seeds (write them in your own words):\n{}",
        report.len(),
        report.join("\n")
    );
}

/// The seed windows of `text`, as the main test builds them.
fn seed_windows(text: &str, kind: Kind, len: usize) -> HashMap<String, String> {
    let text = stream(text, kind);
    windows(&text, len)
        .map(|w| (w, "seed".to_string()))
        .collect()
}

#[test]
fn finds_copies_across_scripts_case_and_spacing() {
    let seed = "市人才工作領導小組于2016年在全國率先提出首都國際人才社區建設理念。";
    let page = "据介绍，市人才工作领导小组于2016年，在全国率先提出首都国际人才社区建设理念！";
    let seeds = seed_windows(seed, Kind::Han, HAN_RUN);
    let text = stream(page, Kind::Han);
    let runs = shared_runs(&text, &vec![false; text.len()], &seeds, HAN_RUN);
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert!(runs[0].0.starts_with("市人才工作领导小组"), "{runs:?}");

    let seed =
        "Beijing will continue to push forward the construction of five international schools.";
    let page =
        "BEIJING WILL continue to push-forward the construction of five International Schools";
    let seeds = seed_windows(seed, Kind::Letter, LETTER_RUN);
    let text = stream(page, Kind::Letter);
    assert_eq!(
        shared_runs(&text, &vec![false; text.len()], &seeds, LETTER_RUN).len(),
        1
    );
}

#[test]
fn allowed_names_and_citations_are_not_runs() {
    let seed =
        "宜居社区、邻里交往、教育文化、创新事业、医疗健康、交通网络、生态低碳、服务配套、管理治理";
    let seeds = seed_windows(seed, Kind::Han, HAN_RUN);
    let text = stream(&format!("九大场景：{seed}。"), Kind::Han);
    let allowed = allowed_positions(&text, Kind::Han);
    assert!(shared_runs(&text, &allowed, &seeds, HAN_RUN).is_empty());

    let page = format!("---\ntitle: t\nsources:\n  - title: \"{seed}\"\n---\n正文。\n");
    assert!(!without_citations(&page).contains("宜居社区"));
    assert!(without_citations(&page).contains("正文"));
}
