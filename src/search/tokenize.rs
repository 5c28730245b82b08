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
use std::collections::BTreeMap;
use std::sync::OnceLock;

use jieba_rs::Jieba;
use pinyin::ToPinyinMulti;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

use crate::i18n::convert::{self, Direction};

/// What produced a term (for ranking: a dictionary word counts more than a bigram).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TermKind {
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
pub struct Token {
    /// The normalized word as written (before stemming).
    pub surface: String,
    /// The term stored in the index.
    pub term: String,
    /// What produced it.
    pub kind: TermKind,
}

/// The tokenizer; building it loads jieba's dictionary (~100 ms), so build one per run.
pub struct Tokenizer {
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
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Whether `c` belongs to a word run (letters and digits of any other script).
pub fn is_word_char(c: char) -> bool {
    !is_han(c) && (c.is_alphabetic() || c.is_numeric())
}

/// Traditional → Simplified, character by character, from OpenCC's data.
/// Built once; the search module ships the part of it the index needs.
///
/// The map is closed under itself: OpenCC's single-character data has chains
/// (麼 → 么 and 么 → 幺), and a map applied once must give what applying it
/// again gives, or a query and the text it should find normalize apart
/// (found by fuzzing `search_query`). Each character maps to the end of its
/// chain; in a cycle, every member maps to the smallest.
pub fn traditional_to_simplified() -> &'static BTreeMap<char, char> {
    static MAP: OnceLock<BTreeMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        // One conversion call; newlines keep every character its own phrase.
        let all: Vec<char> = (0x4E00u32..=0x9FFF)
            .chain(0x3400..=0x4DBF)
            .filter_map(char::from_u32)
            .collect();
        let joined: String = all.iter().flat_map(|c| [*c, '\n']).collect();
        let converted = convert::convert(Direction::HantToHans, &joined);
        let raw: BTreeMap<char, char> = all
            .iter()
            .zip(converted.split('\n'))
            .filter_map(|(from, to)| {
                let mut chars = to.chars();
                match (chars.next(), chars.next()) {
                    (Some(to), None) if to != *from => Some((*from, to)),
                    _ => None,
                }
            })
            .collect();
        close(&raw)
    })
}

/// Maps every key to the end of its chain in `raw` (the smallest member of a cycle).
fn close(raw: &BTreeMap<char, char>) -> BTreeMap<char, char> {
    raw.keys()
        .filter_map(|&from| {
            let mut seen = vec![from];
            let mut end = raw[&from];
            while let Some(&next) = raw.get(&end) {
                if seen.contains(&end) {
                    end = seen.iter().copied().min().unwrap_or(end);
                    break;
                }
                seen.push(end);
                end = next;
            }
            (end != from).then_some((from, end))
        })
        .collect()
}

/// Normalizes text the way both sides do: compatibility decomposition, lower
/// case, decomposition again, combining marks dropped after Latin letters
/// (tones, accents) and stress and diaeresis after Cyrillic ones (`ё` → `е`),
/// Traditional → Simplified characters, then NFKC.
///
/// Lower-casing happens on decomposed text and composition comes last, so a
/// second pass changes nothing: `İ` (U+0130) lower-cases to `i` + U+0307 only
/// after it was decomposed, and every mark is in canonical order before any is
/// dropped (found by fuzzing `search_query`).
///
/// ASCII and unified Han characters between other such characters take a fast
/// path (lower case, or the character map); everything else goes through
/// [`normalize_reference`] in runs. Both give the same text (the fuzz target
/// `search_query` checks it): such a character decomposes to itself, is never
/// a mark, and never composes with a neighbour.
pub fn normalize(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    let mut pending: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let safe = is_simple(c) && chars.peek().is_none_or(|&(_, next)| is_simple(next));
        if !safe {
            pending.get_or_insert(at);
            continue;
        }
        if let Some(start) = pending.take() {
            out.push_str(&normalize_reference(&text[start..at]));
        }
        out.push(simple(c));
    }
    if let Some(start) = pending {
        out.push_str(&normalize_reference(&text[start..]));
    }
    out
}

/// A character whose normalization needs no context: ASCII, unified Han,
/// the Russian alphabet, full-width ASCII, and the CJK and general
/// punctuation that normalization leaves alone. None of them decomposes into
/// a mark or composes with a neighbour (checked against every code point).
fn is_simple(c: char) -> bool {
    c.is_ascii()
        || matches!(c as u32,
            0x3400..=0x4DBF | 0x4E00..=0x9FFF // Han
            | 0x0401 | 0x0410..=0x044F | 0x0451 // А–я, Ё, ё
            | 0xFF01..=0xFF5E // full-width ASCII
            | 0x3001 | 0x3002 | 0x3008..=0x3011 // 、。 and brackets
            | 0x2010 | 0x2012..=0x2016 | 0x2018..=0x2023 | 0x2027) // dashes, quotes
}

/// A simple character normalized: lower case, the character map, `ё` → `е`,
/// full-width → ASCII.
fn simple(c: char) -> char {
    static TABLE: OnceLock<Vec<char>> = OnceLock::new();
    let code = c as u32;
    match code {
        0x00..=0x7F => return c.to_ascii_lowercase(),
        0x0401 | 0x0451 => return 'е',
        0x0410..=0x042F => return char::from_u32(code + 0x20).unwrap_or(c),
        0xFF01..=0xFF5E => {
            return char::from_u32(code - 0xFEE0).map_or(c, |ascii| ascii.to_ascii_lowercase());
        }
        0x3400..=0x9FFF => {}
        _ => return c,
    }
    let table = TABLE.get_or_init(|| {
        let map = traditional_to_simplified();
        (0x3400u32..=0x9FFF)
            .map(|code| {
                let c = char::from_u32(code).unwrap_or(' ');
                map.get(&c).copied().unwrap_or(c)
            })
            .collect()
    });
    table[(code - 0x3400) as usize]
}

/// [`normalize`] done the long way, character by character, for any text.
pub fn normalize_reference(text: &str) -> String {
    let map = traditional_to_simplified();
    let mut out = String::with_capacity(text.len());
    let mut previous = '\0';
    let lowered: String = text.nfkd().flat_map(char::to_lowercase).collect();
    for c in lowered.nfkd() {
        if dropped_mark(c, previous) {
            continue;
        }
        let c = map.get(&c).copied().unwrap_or(c);
        out.push(c);
        previous = c;
    }
    if out.is_ascii() {
        return out;
    }
    out.nfkc().collect()
}

/// Whether the combining mark `c` after the kept character `previous` is dropped.
fn dropped_mark(c: char, previous: char) -> bool {
    match c {
        '\u{0300}'..='\u{036F}' if previous.is_ascii_alphabetic() => true,
        '\u{0300}' | '\u{0301}' | '\u{0308}' => is_cyrillic(previous),
        _ => false,
    }
}

/// Whether `c` is a Cyrillic letter (the block the Russian stemmer reads).
pub fn is_cyrillic(c: char) -> bool {
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

/// Folds British spellings into American ones in a lower-case ASCII word, so
/// both find each other: `-our` → `-or` (`neighbourhood`), `-ise` → `-ize`
/// (`organisation`), `-yse` → `-yze`, `-tre` → `-ter` (`centre`), and
/// `-ogue` → `-og`, `-amme` → `-am` (`catalogue`, `programme`). Other words
/// are returned as they are. Mirrored by `foldSpelling` in the module.
pub fn fold_spelling(word: &str) -> String {
    fold_spelling_cow(word).into_owned()
}

/// [`fold_spelling`], borrowing the word when it is left as it is.
fn fold_spelling_cow(word: &str) -> Cow<'_, str> {
    if word.len() < 5 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    const OUR: &[&str] = &[
        "", "s", "ed", "ing", "hood", "hoods", "ful", "able", "ite", "ites", "er", "ers", "less",
    ];
    const ISE: &[&str] = &["e", "es", "ed", "ing", "er", "ers", "ation", "ations"];
    const ENDINGS: [(&str, &str); 6] = [
        ("tre", "ter"),
        ("tres", "ters"),
        ("ogue", "og"),
        ("ogues", "ogs"),
        ("amme", "am"),
        ("ammes", "ams"),
    ];
    for ending in OUR {
        if let Some(stem) = word
            .strip_suffix(ending)
            .and_then(|w| w.strip_suffix("our"))
            && stem.len() >= 3
        {
            return Cow::Owned(format!("{stem}or{ending}"));
        }
    }
    for ending in ISE {
        for (british, american) in [("is", "iz"), ("ys", "yz")] {
            if let Some(stem) = word
                .strip_suffix(ending)
                .and_then(|w| w.strip_suffix(british))
                && stem.len() >= 2
                && (british == "is" || ending.len() <= 3)
            {
                return Cow::Owned(format!("{stem}{american}{ending}"));
            }
        }
    }
    for (british, american) in ENDINGS {
        if let Some(stem) = word.strip_suffix(british)
            && stem.len() >= 2
        {
            return Cow::Owned(format!("{stem}{american}"));
        }
    }
    Cow::Borrowed(word)
}

/// Stop words of every language the guide is written in, normalized and
/// folded: NLTK's lists (through the `stop-words` crate) and a few words of
/// questions that a reader types around what they look for. A query ignores
/// them unless they are all it has; the index keeps them.
pub fn stop_words() -> &'static std::collections::BTreeSet<String> {
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
    pub fn new() -> Self {
        Tokenizer {
            jieba: Jieba::new(),
            english: Stemmer::create(Algorithm::English),
            russian: Stemmer::create(Algorithm::Russian),
        }
    }

    /// The index terms of `text`, in order of appearance.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
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
    pub fn each_token(&self, text: &str, visit: &mut impl FnMut(&str, TermKind)) {
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
    pub fn term<'a>(&self, surface: &'a str, kind: TermKind) -> Cow<'a, str> {
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
    pub fn stem(&self, word: &str) -> String {
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
pub fn pinyin_readings(word: &str) -> Vec<String> {
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
    fn the_character_map_is_closed() {
        let map = traditional_to_simplified();
        for (from, to) in map {
            assert!(!map.contains_key(to), "{from} → {to} → {}", map[to]);
        }
        let chains = BTreeMap::from([('a', 'b'), ('b', 'c'), ('x', 'y'), ('y', 'x')]);
        let closed = close(&chains);
        assert_eq!(closed, BTreeMap::from([('a', 'c'), ('b', 'c'), ('y', 'x')]));
    }

    fn terms(tokenizer: &Tokenizer, text: &str) -> Vec<String> {
        tokenizer.tokens(text).into_iter().map(|t| t.term).collect()
    }

    #[test]
    fn normalization_cases() {
        let cases = [
            ("Ёлка", "елка"),
            ("ＡＢＣ１２３", "abc123"),
            ("國際學校", "国际学校"),
            ("醫院", "医院"),
            ("Hospital", "hospital"),
            ("Shùnyì Huáiróu", "shunyi huairou"),
            ("Zürich café NAÏVE", "zurich cafe naive"),
            ("мо́жно ЁЖИК йод", "можно ежик йод"),
            ("İstanbul", "istanbul"),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "{input}");
            assert_eq!(normalize(expected), expected, "{expected} is stable");
        }
    }

    #[test]
    fn the_fast_path_normalizes_like_the_reference() {
        let simple_chars: Vec<char> = (0u32..0x30000)
            .filter_map(char::from_u32)
            .filter(|&c| is_simple(c))
            .collect();
        for &c in &simple_chars {
            let one = c.to_string();
            assert_eq!(normalize_reference(&one), simple(c).to_string(), "{c:?}");
        }
        for text in [
            "Ёлка ЙОД й Москва",
            "中文，標點。「引號」",
            "ＡＢＣ，ｄｅｆ",
            "e\u{301}й\u{301}ё\u{308}",
            "“quoted” — dash ‘single’",
        ] {
            assert_eq!(normalize(text), normalize_reference(text), "{text}");
        }
    }

    #[test]
    fn british_spellings_fold_into_american_ones() {
        let cases = [
            ("centre", "center"),
            ("centres", "centers"),
            ("neighbourhood", "neighborhood"),
            ("colours", "colors"),
            ("organisation", "organization"),
            ("recognised", "recognized"),
            ("analyse", "analyze"),
            ("catalogue", "catalog"),
            ("programme", "program"),
            ("hour", "hour"),
            ("four", "four"),
            ("wise", "wise"),
            ("школа", "школа"),
        ];
        for (british, american) in cases {
            assert_eq!(fold_spelling(british), american, "{british}");
            assert_eq!(fold_spelling(american), american, "{american}");
        }
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
