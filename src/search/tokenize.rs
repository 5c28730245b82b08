//! The one tokenizer truth: how text becomes index terms.
//!
//! In: text of any of the site's languages. Out: (surface, term) pairs.
//! Steps, mirrored exactly by `signpost-search.js` on the query side:
//! 1. normalize ([`normalize`]): decomposed, lower case, tones and accents
//!    dropped from Latin letters, `ё` → `е`, Traditional → Simplified
//!    character map, NFKC;
//! 2. split into runs of Han characters and runs of other letters and digits,
//!    also where the script changes (Latin, Cyrillic);
//! 3. a word run has British spellings folded into American ones
//!    ([`fold_spelling`]) and is stemmed with Snowball (Cyrillic → Russian,
//!    else English);
//!    the query side does not stem: it looks the word up in the index's own
//!    table of surface forms, so both sides meet in the vocabulary;
//! 4. a Han run gives its jieba search words, its character bigrams (the
//!    fallback for words the dictionary lacks) and, per jieba word, its
//!    toneless pinyin (`望京` → `wangjing`, every reading of heteronyms).
//!
//! Stop words ([`stop_words()`]) are indexed like any word; the query side
//! ignores them when the query has other words.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

use jieba_rs::Jieba;
use pinyin::ToPinyinMulti;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

use super::normalize::fold_spelling_cow;
pub use super::normalize::{fold_spelling, normalize};
pub(crate) use super::normalize::{normalize_reference, traditional_to_simplified};

/// What produced a term (for ranking: a dictionary word counts more than a bigram).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum TermKind {
    /// A stemmed word of a non-Han script.
    Word,
    /// A jieba word of two or more Han characters.
    HanWord,
    /// Two adjacent Han characters.
    Bigram,
    /// The toneless pinyin of a Han word.
    Pinyin,
}

/// One index term with the normalized text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// The normalized word as written (before stemming).
    pub surface: String,
    /// The term stored in the index.
    pub term: String,
    /// What produced it.
    pub kind: TermKind,
}

/// The tokenizer; building it loads jieba's dictionary (~100 ms), so build one per run.
pub(crate) struct Tokenizer {
    jieba: Jieba,
    english: Stemmer,
    russian: Stemmer,
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokenizer")
    }
}

impl Default for Tokenizer {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether `c` is a Han character (the ranges the JS side uses too).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Whether `c` belongs to a word run (letters and digits of any other script).
pub(crate) fn is_word_char(c: char) -> bool {
    match c {
        // The commonest letters and marks of the guide's languages, answered
        // without Unicode's tables (the same answers they give).
        'a'..='z' | 'A'..='Z' | '0'..='9' | 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё' => true,
        '\u{2010}'..='\u{2027}' | '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' => false,
        c if c.is_ascii() => false,
        c => !is_han(c) && (c.is_alphabetic() || c.is_numeric()),
    }
}

/// Whether `c` is a Cyrillic letter (the block the Russian stemmer reads).
pub(crate) fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{052F}').contains(&c)
}

/// The script class that splits word runs: Han, Cyrillic, anything else.
fn class(c: char) -> u8 {
    if is_han(c) {
        0
    } else if is_cyrillic(c) {
        1
    } else {
        2
    }
}

/// Splits normalized text into runs of Han characters (`true`) and of other
/// letters and digits (`false`); everything else separates runs, and so does a
/// change of script (`望京soho` → `望京`, `soho`; `parkпарк` → `park`, `парк`).
pub fn runs(normalized: &str) -> Vec<(String, bool)> {
    run_slices(normalized)
        .into_iter()
        .map(|(run, han)| (run.to_string(), han))
        .collect()
}

/// [`runs`], as slices of `normalized`.
fn run_slices(normalized: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    // The open run: where it starts and its script class.
    let mut open: Option<(usize, u8)> = None;
    for (at, c) in normalized.char_indices() {
        let belongs = is_han(c) || is_word_char(c);
        let c_class = class(c);
        match open {
            Some((_, run_class)) if belongs && c_class == run_class => continue,
            Some((start, run_class)) => out.push((&normalized[start..at], run_class == 0)),
            None => {}
        }
        open = belongs.then_some((at, c_class));
    }
    if let Some((start, run_class)) = open {
        out.push((&normalized[start..], run_class == 0));
    }
    out
}

/// Stop words of every language the guide is written in, normalized and
/// folded: NLTK's lists (through the `stop-words` crate) and a few words of
/// questions that a reader types around what they look for. A query ignores
/// them unless they are all it has; the index keeps them.
pub(crate) fn stop_words() -> &'static std::collections::BTreeSet<String> {
    static WORDS: OnceLock<std::collections::BTreeSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        const QUESTIONS: &[&str] = &[
            "find",
            "get",
            "need",
            "want",
            "looking",
            "please",
            "найти",
            "нужен",
            "нужна",
            "нужно",
            "можно",
            "хочу",
            "ищу",
            "哪里",
            "哪儿",
            "哪",
            "找",
            "需要",
            "想",
            "怎么办",
        ];
        ["en", "ru", "zh"]
            .iter()
            .flat_map(|code| stop_words::lookup(code).unwrap_or_default().iter())
            .chain(QUESTIONS)
            .map(|word| fold_spelling(&normalize(word)))
            .filter(|word| runs(word).len() == 1 && runs(word)[0].0 == *word)
            .collect()
    })
}

impl Tokenizer {
    /// A tokenizer with jieba's embedded dictionary and the Snowball stemmers.
    pub(crate) fn new() -> Self {
        Tokenizer {
            jieba: Jieba::new(),
            english: Stemmer::create(Algorithm::English),
            russian: Stemmer::create(Algorithm::Russian),
        }
    }

    /// The tokenizer the process shares: jieba's dictionary takes about
    /// 90 ms to build, once, not on every edit the dev server indexes.
    pub(crate) fn shared() -> &'static Tokenizer {
        static SHARED: OnceLock<Tokenizer> = OnceLock::new();
        SHARED.get_or_init(Tokenizer::new)
    }

    /// The index terms of `text`, in order of appearance.
    pub(crate) fn tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.each_token(text, &mut |surface, kind| {
            out.push(Token {
                surface: surface.to_string(),
                term: self.term(surface, kind).into_owned(),
                kind,
            });
        });
        out
    }

    /// Calls `visit(surface, kind)` for each token of `text`, in order, without
    /// allocating a string per token; [`Tokenizer::term`] gives a surface's term.
    pub(crate) fn each_token(&self, text: &str, visit: &mut impl FnMut(&str, TermKind)) {
        let normalized = normalize(text);
        for (run, han) in run_slices(&normalized) {
            if han {
                self.han_run(run, visit);
            } else {
                visit(&fold_spelling_cow(run), TermKind::Word);
            }
        }
    }

    /// The index term of a token: a word's stem (remembered per thread, as a
    /// text repeats its words), any other token's surface.
    pub(crate) fn term<'a>(&self, surface: &'a str, kind: TermKind) -> Cow<'a, str> {
        if kind != TermKind::Word {
            return Cow::Borrowed(surface);
        }
        thread_local! {
            static STEMS: RefCell<FxHashMap<String, String>> = RefCell::default();
        }
        STEMS.with_borrow_mut(|stems| {
            if let Some(stem) = stems.get(surface) {
                return Cow::Owned(stem.clone());
            }
            let stem = self.stem(surface);
            if stems.len() >= MEMO_LIMIT {
                stems.clear();
            }
            stems.insert(surface.to_string(), stem.clone());
            Cow::Owned(stem)
        })
    }

    /// The tokens of one run of Han characters: its bigrams (a single
    /// character stands alone), its jieba search words and their pinyin.
    fn han_run(&self, run: &str, visit: &mut impl FnMut(&str, TermKind)) {
        let bounds: Vec<usize> = run
            .char_indices()
            .map(|(at, _)| at)
            .chain([run.len()])
            .collect();
        if bounds.len() == 2 {
            visit(run, TermKind::Bigram);
        }
        for pair in bounds.windows(3) {
            visit(&run[pair[0]..pair[2]], TermKind::Bigram);
        }
        for word in self.jieba.cut_for_search(run, true) {
            let word = word.word;
            if word.chars().nth(1).is_none() {
                continue;
            }
            visit(word, TermKind::HanWord);
            with_pinyin(word, |reading| visit(reading, TermKind::Pinyin));
        }
    }

    /// The Snowball stem of one normalized word: Cyrillic → Russian, else English.
    pub(crate) fn stem(&self, word: &str) -> String {
        if word.chars().any(|c| c.is_numeric()) {
            return word.to_string();
        }
        let cyrillic = word.chars().any(is_cyrillic);
        let stemmer = if cyrillic {
            &self.russian
        } else {
            &self.english
        };
        stemmer.stem(word).into_owned()
    }
}

/// Entries a per-thread memo (stems, pinyin) holds before it starts again.
const MEMO_LIMIT: usize = 1 << 18;

/// Calls `visit` with each folded toneless reading of a Han word
/// ([`pinyin_readings`]), remembered per thread.
fn with_pinyin(word: &str, mut visit: impl FnMut(&str)) {
    thread_local! {
        static READINGS: RefCell<FxHashMap<String, Box<[String]>>> = RefCell::default();
    }
    READINGS.with_borrow_mut(|memo| {
        if !memo.contains_key(word) {
            if memo.len() >= MEMO_LIMIT {
                memo.clear();
            }
            let readings = pinyin_readings(word)
                .iter()
                .map(|reading| fold_spelling(reading))
                .collect();
            memo.insert(word.to_string(), readings);
        }
        for reading in memo.get(word).into_iter().flatten() {
            visit(reading);
        }
    });
}

/// Toneless pinyin of a Han word, one string per combination of readings (at most 4).
pub(crate) fn pinyin_readings(word: &str) -> Vec<String> {
    let mut readings = vec![String::new()];
    for c in word.chars() {
        let Some(multi) = c.to_pinyin_multi() else {
            return Vec::new();
        };
        let options: Vec<String> = {
            let mut seen: Vec<String> = Vec::new();
            for p in multi {
                let plain = p.plain().replace('ü', "u");
                if !seen.contains(&plain) {
                    seen.push(plain);
                }
            }
            seen
        };
        let mut next = Vec::new();
        for prefix in &readings {
            for option in options.iter().take(if readings.len() >= 4 { 1 } else { 2 }) {
                next.push(format!("{prefix}{option}"));
            }
        }
        readings = next;
        readings.truncate(4);
    }
    readings.sort();
    readings.dedup();
    readings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_characters_answer_as_unicode_does() {
        let by_tables = |c: char| !is_han(c) && (c.is_alphabetic() || c.is_numeric());
        for c in ('\0'..='\u{4FF}').chain('\u{2000}'..='\u{303F}') {
            assert_eq!(is_word_char(c), by_tables(c), "{c:?} U+{:04X}", c as u32);
        }
    }

    fn terms(tokenizer: &Tokenizer, text: &str) -> Vec<String> {
        tokenizer.tokens(text).into_iter().map(|t| t.term).collect()
    }

    #[test]
    fn stop_words_come_from_the_lists_of_each_language() {
        let stop = stop_words();
        for word in ["where", "can", "the", "где", "на", "哪里", "有", "的"] {
            assert!(stop.contains(word), "{word}");
        }
        for word in ["school", "hospital", "школа", "国际", "学校"] {
            assert!(!stop.contains(word), "{word}");
        }
    }

    #[test]
    fn stems_agree_across_inflections() {
        let t = Tokenizer::new();
        let cases = [
            ("hospitals", "hospital"),
            ("больницы", "больница"),
            ("больнице", "больница"),
            ("школ", "школа"),
            ("школы", "школа"),
            ("Running", "run"),
        ];
        for (a, b) in cases {
            assert_eq!(t.stem(&normalize(a)), t.stem(&normalize(b)), "{a} / {b}");
        }
    }

    #[test]
    fn han_text_gives_words_bigrams_and_pinyin() {
        let t = Tokenizer::new();
        let found = terms(&t, "望京国际人才社区");
        for expected in [
            "望京", "国际", "人才", "社区", "wangjing", "guoji", "rencai", "shequ",
        ] {
            assert!(
                found.contains(&expected.to_string()),
                "{expected} in {found:?}"
            );
        }
        let traditional = terms(&t, "國際學校");
        assert!(
            traditional.contains(&"国际".to_string()) && traditional.contains(&"学校".to_string()),
            "{traditional:?}"
        );
    }

    #[test]
    fn heteronyms_give_every_reading() {
        let readings = pinyin_readings("重庆");
        assert!(readings.contains(&"chongqing".to_string()), "{readings:?}");
        assert!(readings.contains(&"zhongqing".to_string()), "{readings:?}");
    }

    #[test]
    fn mixed_runs_split_by_script() {
        let t = Tokenizer::new();
        let tokens = t.tokens("望京SOHO, Москва");
        let surfaces: Vec<&str> = tokens
            .iter()
            .filter(|t| t.kind == TermKind::Word)
            .map(|t| t.surface.as_str())
            .collect();
        assert_eq!(surfaces, ["soho", "москва"]);
        let split: Vec<(String, bool)> = runs(&normalize("Parkпарк2024 顺义hospital"));
        let texts: Vec<&str> = split.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["park", "парк", "2024", "顺义", "hospital"]);
    }
}
