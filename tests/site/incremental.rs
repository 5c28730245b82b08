//! The dev server's incremental path, proven against fresh builds: random
//! sequences of edits of every kind (bodies, titles, summaries, front matter,
//! new, deleted and renamed pages, new, deleted and renamed folders (page
//! bundles), a bundle's co-located file, a facility's fields, a new
//! facility, UI strings, a template, a static file) are applied to
//! `serve/incremental`,
//! and after each one the served output and the diagnostics must equal a
//! fresh build's of the same files, byte for byte.
//!
//! The generator is a seeded xorshift, so a failure names its seed and its
//! edits; `SIGNPOST_INCREMENTAL_SEED` replays one seed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use signpost::Severity;
use signpost::fuzzing::{ServeSession, fresh_build};

use crate::support::SiteTest;

/// A small deterministic random generator (xorshift64*).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The edits a random sequence is made of.
const KINDS: [&str; 20] = [
    "body",
    "title",
    "summary",
    "weight",
    "date",
    "scenarios",
    "communities",
    "new community",
    "new page",
    "delete page",
    "rename page",
    "new folder",
    "delete folder",
    "rename folder",
    "bundle file",
    "facility field",
    "new facility",
    "UI string",
    "template",
    "static file",
];

/// The site being edited and what the edits made (the build cache's tests
/// make the same edits).
pub(crate) struct Editor<'a> {
    root: &'a Path,
    random: Random,
    /// Pages the edits created (they may be deleted and renamed).
    created: Vec<String>,
    /// Page bundles (folders) the edits created.
    folders: Vec<String>,
    count: usize,
}

impl<'a> Editor<'a> {
    /// An editor of the site in `root`, its edits drawn from `seed`.
    pub(crate) fn new(root: &'a Path, seed: u64) -> Self {
        Editor {
            root,
            random: Random(seed),
            created: Vec::new(),
            folders: Vec::new(),
            count: 0,
        }
    }

    /// Makes one random edit: its description and the files it touched.
    pub(crate) fn edit(&mut self) -> (String, Vec<PathBuf>) {
        self.count += 1;
        let kind = *self.random.pick(&KINDS);
        let touched = match kind {
            "new page" | "delete page" | "rename page" => self.page_files(kind),
            "new community" => self.community(),
            "new folder" | "delete folder" | "rename folder" | "bundle file" => self.folder(kind),
            "facility field" | "new facility" => self.facility(kind),
            "UI string" | "template" | "static file" => self.site_file(kind),
            _ => self.front_matter(kind),
        };
        let paths = touched.iter().map(|p| self.root.join(p)).collect();
        (format!("{kind}: {}", touched.join(", ")), paths)
    }

    /// Every Markdown file of the content, sorted.
    fn markdown_files(&self) -> Vec<String> {
        let content = self.root.join("content");
        let mut files: Vec<String> = walkdir::WalkDir::new(&content)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| {
                e.path()
                    .strip_prefix(self.root)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        files.sort();
        files
    }

    /// Changes the body or one front matter key of a random Markdown file.
    fn front_matter(&mut self, kind: &str) -> Vec<String> {
        let file = self.random.pick(&self.markdown_files()).clone();
        let text = std::fs::read_to_string(self.root.join(&file)).unwrap();
        let n = self.count;
        let words = words_of(&file, n);
        let text = match kind {
            "body" => format!("{text}\n\n{}\n", words.1),
            "title" => set_key(&text, "title", &words.0),
            "summary" => set_key(&text, "summary", &words.1),
            "weight" => set_key(&text, "weight", &(n % 7).to_string()),
            "date" => set_key(&text, "date", &format!("2023-0{}-1{}", 1 + n % 9, n % 10)),
            "scenarios" => {
                let scenario = self.random.pick(&["livable", "health", "services"]);
                set_key(&text, "scenarios", &format!("[{scenario}]"))
            }
            _ => {
                // `all`: every community, in the order of their weights.
                let community = self.random.pick(&["wangjing", "shunyi", "all"]);
                set_key(&text, "communities", &format!("[{community}]"))
            }
        };
        // A section or the home page takes no communities: leave it.
        if kind == "communities" && file.contains("_index") {
            return vec![file];
        }
        std::fs::write(self.root.join(&file), text).unwrap();
        vec![file]
    }

    /// Adds a community: the communities `all` stands for change.
    fn community(&mut self) -> Vec<String> {
        let n = self.count;
        let file = format!("content/communities/community-{n}.en.md");
        let text = format!(
            "---\ntitle: Community {n}\nweight: {}\n---\nA new community.\n",
            n % 30
        );
        std::fs::write(self.root.join(&file), text).unwrap();
        vec![file]
    }

    /// Adds, deletes or renames a page the edits created.
    fn page_files(&mut self, kind: &str) -> Vec<String> {
        let n = self.count;
        if kind == "new page" || self.created.is_empty() {
            let lang = *self.random.pick(&["en", "zh-Hans", "ru"]);
            let file = format!("content/news/item-{n}.{lang}.md");
            let (title, sentence) = words_of(&file, n);
            let community = self.random.pick(&["wangjing", "shunyi"]);
            let text = format!(
                "---\ntitle: {title}\ndate: 2024-01-{:02}\ncommunities: [{community}]\nscenarios: [services]\n---\n{sentence}\n",
                1 + n % 28
            );
            std::fs::write(self.root.join(&file), text).unwrap();
            self.created.push(file.clone());
            return vec![file];
        }
        let i = self.random.below(self.created.len());
        let file = self.created.remove(i);
        if kind == "delete page" {
            std::fs::remove_file(self.root.join(&file)).unwrap();
            return vec![file];
        }
        let lang = file.rsplit('.').nth(1).unwrap().to_string();
        let renamed = format!("content/news/renamed-{n}.{lang}.md");
        std::fs::rename(self.root.join(&file), self.root.join(&renamed)).unwrap();
        self.created.push(renamed.clone());
        vec![file, renamed]
    }

    /// Adds, deletes or renames a page bundle (the watcher names the
    /// folder), or adds a co-located file to the fixture's bundle.
    fn folder(&mut self, kind: &str) -> Vec<String> {
        let n = self.count;
        if kind == "bundle file" {
            let file = format!("content/news/opening/extra-{n}.txt");
            std::fs::write(self.root.join(&file), format!("extra {n}\n")).unwrap();
            return vec![file];
        }
        if kind == "new folder" || self.folders.is_empty() {
            let folder = format!("content/news/bundle-{n}");
            std::fs::create_dir_all(self.root.join(&folder)).unwrap();
            let (title, sentence) = words_of("en", n);
            let text = format!(
                "---\ntitle: {title}\ndate: 2024-02-{:02}\n---\n{sentence}\n\n![A photo](photo.svg)\n",
                1 + n % 28
            );
            std::fs::write(self.root.join(&folder).join("index.en.md"), text).unwrap();
            let photo = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
            std::fs::write(self.root.join(&folder).join("photo.svg"), photo).unwrap();
            self.folders.push(folder.clone());
            return vec![folder];
        }
        let i = self.random.below(self.folders.len());
        let folder = self.folders.remove(i);
        if kind == "delete folder" {
            std::fs::remove_dir_all(self.root.join(&folder)).unwrap();
            return vec![folder];
        }
        let renamed = format!("content/news/moved-{n}");
        std::fs::rename(self.root.join(&folder), self.root.join(&renamed)).unwrap();
        self.folders.push(renamed.clone());
        vec![folder, renamed]
    }

    /// Renames the station, or adds a facility.
    fn facility(&mut self, kind: &str) -> Vec<String> {
        let n = self.count;
        let community = self.random.pick(&["wangjing", "shunyi"]);
        let (file, name) = if kind == "new facility" {
            (
                format!("content/facilities/clinic-{n}.yaml"),
                format!("Clinic {n}"),
            )
        } else {
            (
                "content/facilities/station.yaml".to_string(),
                format!("Station {n}"),
            )
        };
        let text = format!(
            "kind: service-station\ncommunity: {community}\nname: {{zh-Hans: 服务站{n}, en: {name}}}\nsummary: {{en: \"A station, edit {n}\"}}\ndescription: {{en: \"Help with **permits**.\"}}\nscenarios: [services]\ndate: 2021-04-28\n"
        );
        std::fs::write(self.root.join(&file), text).unwrap();
        vec![file]
    }

    /// Changes a UI string, the `as_of` template or a static file.
    fn site_file(&mut self, kind: &str) -> Vec<String> {
        let n = self.count;
        let (file, text) = match kind {
            "UI string" => {
                let key = self.random.pick(&["home", "search", "scenarios"]);
                (
                    "i18n/en.yaml".to_string(),
                    format!("guide:\n  motto: Find your way\nnav:\n  {key}: Edit {n}\n"),
                )
            }
            "template" => {
                let source = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("themes/signage/templates/partials/as_of.html");
                let text = std::fs::read_to_string(source).unwrap();
                (
                    "templates/partials/as_of.html".to_string(),
                    text.replace(
                        "class=\"meta as-of\"",
                        &format!("class=\"meta as-of\" data-edit=\"{n}\""),
                    ),
                )
            }
            _ => ("static/notes.txt".to_string(), format!("Edit {n}\n")),
        };
        std::fs::write(self.root.join(&file), text).unwrap();
        vec![file]
    }
}

/// A title and a sentence in the language of `file`.
fn words_of(file: &str, n: usize) -> (String, String) {
    if file.contains(".zh-Hans.") || file.ends_with("_index.md") {
        (format!("标题{n}"), format!("这是第{n}次修改。"))
    } else if file.contains(".ru.") {
        (format!("Заголовок {n}"), format!("Это правка номер {n}."))
    } else {
        (format!("Title {n}"), format!("This is edit number {n}."))
    }
}

/// Sets `key` in the front matter of `text`, replacing its line or adding one.
fn set_key(text: &str, key: &str, value: &str) -> String {
    let rest = text.strip_prefix("---\n").expect("front matter");
    let (front, body) = rest.split_once("\n---\n").expect("front matter end");
    let mut lines: Vec<String> = front
        .lines()
        .filter(|l| !l.starts_with(&format!("{key}:")))
        .map(str::to_string)
        .collect();
    lines.push(format!("{key}: {value}"));
    format!("---\n{}\n---\n{body}", lines.join("\n"))
}

/// Fails with the first difference between the served output and a fresh build's.
fn assert_same(served: &BTreeMap<String, Vec<u8>>, fresh: &BTreeMap<String, Vec<u8>>, at: &str) {
    let missing: Vec<&String> = fresh.keys().filter(|p| !served.contains_key(*p)).collect();
    let extra: Vec<&String> = served.keys().filter(|p| !fresh.contains_key(*p)).collect();
    let differ: Vec<&String> = fresh
        .iter()
        .filter(|(p, bytes)| served.get(*p).is_some_and(|b| b != *bytes))
        .map(|(p, _)| p)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "{at}\nmissing from serve: {missing:?}\nonly in serve: {extra:?}\ndifferent: {differ:?}"
    );
}

/// Runs `steps` random edits from `seed`, comparing after each.
fn run(seed: u64, steps: usize) {
    let site = SiteTest::from_fixture("serve/incremental");
    let mut session = ServeSession::open(site.root());
    assert!(session.errors().is_none(), "the fixture builds");
    let mut editor = Editor::new(site.root(), seed);
    let mut log = Vec::new();
    for _ in 0..steps {
        let (what, paths) = editor.edit();
        log.push(what);
        session.change(&paths);
        let at = format!("seed {seed}, edits:\n  {}", log.join("\n  "));
        let (files, diagnostics) = fresh_build(site.root());
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            assert!(session.errors().is_some(), "{at}\nserve shows no error");
            continue;
        }
        assert!(session.errors().is_none(), "{at}\n{:?}", session.errors());
        assert_same(session.files(), &files, &at);
        assert_eq!(session.diagnostics(), diagnostics, "{at}");
    }
}

#[test]
fn random_edits_leave_serve_equal_to_a_fresh_build() {
    if let Some(seed) = std::env::var("SIGNPOST_INCREMENTAL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        return run(seed, 40);
    }
    for seed in [0x5eed_0001, 0x5eed_0002, 0x5eed_0003] {
        run(seed, 25);
    }
}

/// A page naming `all` communities, then a new community and a community's
/// new weight (the order of `all`): serve follows both like a fresh build.
#[test]
fn all_communities_follow_new_and_reordered_communities() {
    let site = SiteTest::from_fixture("serve/incremental");
    let mut session = ServeSession::open(site.root());
    let mut editor = Editor {
        root: site.root(),
        random: Random(1),
        created: Vec::new(),
        folders: Vec::new(),
        count: 40,
    };
    let policy = "content/policies/service-system.en.md";
    let text = std::fs::read_to_string(site.root().join(policy)).unwrap();
    std::fs::write(
        site.root().join(policy),
        set_key(&text, "communities", "[all]"),
    )
    .unwrap();
    session.change(&[site.root().join(policy)]);
    let added = editor.community();
    session.change(&[site.root().join(&added[0])]);
    let (files, diagnostics) = fresh_build(site.root());
    assert_same(session.files(), &files, "after a new community");
    assert_eq!(session.diagnostics(), diagnostics);
    let shunyi = "content/communities/shunyi.en.md";
    let text = std::fs::read_to_string(site.root().join(shunyi)).unwrap();
    std::fs::write(site.root().join(shunyi), set_key(&text, "weight", "1")).unwrap();
    session.change(&[site.root().join(shunyi)]);
    let (files, diagnostics) = fresh_build(site.root());
    assert_same(session.files(), &files, "after a community's new weight");
    assert_eq!(session.diagnostics(), diagnostics);
}
