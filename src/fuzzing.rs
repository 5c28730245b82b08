//! Fuzzing entry points: one function per fuzz target of `fuzz/`, shared with
//! the test that replays every input the fuzzers found (`tests/fuzz_regressions/`).
//!
//! In: arbitrary bytes. Out: nothing; each function runs one parser of the
//! pipeline on the bytes and panics only when an invariant breaks (a
//! diagnostic pointing past the end of the file, a normalizer that is not
//! idempotent…), so that a crash found by the fuzzer is a real bug and its
//! input, kept as a regression test, fails until the bug is fixed.
//!
//! The module is public because the fuzz crate is a separate package, and
//! hidden from the documentation because it is not part of the library's
//! API. It also lends the tests the few inner functions they exercise
//! directly (the search normalizer, the Chinese converter).

use std::sync::OnceLock;

pub use crate::i18n::convert::{Direction, convert_standard};
pub use crate::search::tokenize::{fold_spelling, normalize, runs};

use crate::config::Config;
use crate::content::{facility, front_matter};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, LinkResolver};
use crate::search::tokenize::{self, Tokenizer};

/// The site the facility and Markdown targets read against.
fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse("languages: [zh-Hans, zh-Hant, en, ru]\ndefault_language: zh-Hans\nfallback: [en]\nderive: {zh-Hant: zh-Hans}\n")
            .expect("the fuzzing site.yaml is valid")
    })
}

/// Decodes like the loader does; `None` for bytes the loader refuses.
fn text(data: &[u8]) -> Option<String> {
    crate::source::decode("fuzz", data.to_vec(), crate::diagnostics::Area::Content).ok()
}

/// Every diagnostic must point inside `text` (or at the whole file).
fn assert_located(text: &str, diagnostics: &[Diagnostic]) {
    let lines = text.split('\n').count();
    for d in diagnostics {
        assert!(
            d.line <= lines,
            "{} points at line {} of {lines}: {d:?}",
            d.code,
            d.line
        );
        assert!(
            !d.code.as_str().is_empty() && !d.message.is_empty(),
            "{d:?}"
        );
    }
}

/// Target `front_matter`: a Markdown file's front matter and body split.
pub fn front_matter(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let mut out = Vec::new();
    if let Some(parsed) = front_matter::parse("fuzz.md", &text, &mut out) {
        assert!(parsed.body_line >= 1 && parsed.body_line <= text.split('\n').count() + 1);
        assert!(
            text.ends_with(&parsed.body),
            "the body is the end of the file"
        );
    }
    assert_located(&text, &out);
}

/// Target `facility_yaml`: a facility file.
pub fn facility_yaml(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let mut out = Vec::new();
    let _ = facility::parse("fuzz.yaml", &text, config(), &mut out);
    assert_located(&text, &out);
}

/// Target `site_config`: a `site.yaml`.
pub fn site_config(data: &[u8]) {
    let Some(text) = text(data) else { return };
    match Config::parse(&text) {
        Ok(config) => {
            assert!(!config.languages.is_empty());
            assert!(config.has_language(&config.default_language));
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            assert_located(&text, &errors);
        }
    }
}

struct Resolver;

impl LinkResolver for Resolver {
    fn url(&self, key: &str, lang: &str) -> Option<String> {
        key.len()
            .is_multiple_of(2)
            .then(|| format!("/{}/{key}/", lang.to_lowercase()))
    }
}

/// Target `markdown_links`: a page body rendered with link resolution.
pub fn markdown_links(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let rendered = markdown::render(&text, "en", &Resolver);
    let lines = text.split('\n').count();
    for link in rendered.links.iter().chain(&rendered.broken) {
        assert!(link.pos.line >= 1 && link.pos.line <= lines, "{link:?}");
    }
    let mut ids = std::collections::BTreeSet::new();
    for heading in &rendered.headings {
        assert!(
            ids.insert(&heading.id),
            "duplicate heading id {:?}",
            heading.id
        );
        // An id may hold any character; in the HTML it must stay one attribute.
        if heading.id.contains(['"', '<', '>', '&']) {
            let raw = format!("id=\"{}\"", heading.id);
            assert!(!rendered.html.contains(&raw), "unescaped {raw}");
        }
    }
    let _ = markdown::plain_text(&text);
}

/// Target `search_query`: the normalizer and tokenizer a query goes through.
pub fn search_query(data: &[u8]) {
    static TOKENIZER: OnceLock<Tokenizer> = OnceLock::new();
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let once = tokenize::normalize(query);
    assert_eq!(
        once,
        tokenize::normalize_reference(query),
        "the fast path normalizes like the reference"
    );
    assert_eq!(tokenize::normalize(&once), once, "normalize is idempotent");
    for (run, _) in tokenize::runs(&once) {
        assert!(!run.is_empty());
        let folded = tokenize::fold_spelling(&run);
        assert_eq!(
            tokenize::fold_spelling(&folded),
            folded,
            "folding is idempotent"
        );
    }
    let tokenizer = TOKENIZER.get_or_init(Tokenizer::new);
    for token in tokenizer.tokens(query) {
        assert!(!token.term.is_empty(), "{token:?}");
    }
}

/// Runs the target called `name` on `data`; `false` if there is no such target.
pub fn run(name: &str, data: &[u8]) -> bool {
    match name {
        "front_matter" => front_matter(data),
        "facility_yaml" => facility_yaml(data),
        "site_config" => site_config(data),
        "markdown_links" => markdown_links(data),
        "search_query" => search_query(data),
        _ => return false,
    }
    true
}

/// The names of the fuzz targets.
pub const TARGETS: &[&str] = &[
    "front_matter",
    "facility_yaml",
    "site_config",
    "markdown_links",
    "search_query",
];

/// The dev server's build as the tests drive it: changes applied to the
/// output it serves, compared with a fresh build of the same files.
pub struct ServeSession {
    session: crate::serve::session::Session,
    output: crate::output::Output,
}

impl ServeSession {
    /// Builds the site in `root` as `signpost serve` does.
    pub fn open(root: &std::path::Path) -> Self {
        let options = crate::build::BuildOptions::new(root);
        let (session, outcome) = crate::serve::session::Session::open(&options);
        let mut output = crate::output::Output::default();
        outcome.apply(&mut output);
        ServeSession { session, output }
    }

    /// Applies a change of `paths`, as the watcher reports it.
    pub fn change(&mut self, paths: &[std::path::PathBuf]) {
        self.session.change(paths).apply(&mut self.output);
        if let Some(outcome) = self.session.follow_up() {
            outcome.apply(&mut self.output);
        }
    }

    /// The errors shown over the pages, if the last build failed.
    pub fn errors(&self) -> Option<&str> {
        self.session.errors()
    }

    /// The output served now.
    pub fn files(&self) -> &std::collections::BTreeMap<String, Vec<u8>> {
        &self.output.files
    }

    /// The diagnostics of the build served now.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.session.diagnostics().to_vec()
    }
}

/// A fresh in-memory build of the site in `root`, made as `signpost build`
/// makes it (nothing recorded for the dev server): its files and its
/// diagnostics, sorted.
pub fn fresh_build(
    root: &std::path::Path,
) -> (std::collections::BTreeMap<String, Vec<u8>>, Vec<Diagnostic>) {
    let options = crate::build::BuildOptions::new(root);
    let mut diagnostics = Vec::new();
    let sink = crate::output::Sink::memory();
    let compiled = crate::build::compile(&options, &sink, &mut diagnostics, false);
    let files = sink.finish().output.files;
    let files = if compiled.is_some() {
        files
    } else {
        Default::default()
    };
    (files, crate::diagnostics::sorted(diagnostics))
}
