//! The one tokenizer truth: how text becomes index terms.
//!
//! In: text of any of the site's languages. Out: (surface, term) pairs.
//! Steps, mirrored exactly by `signpost-search.js` on the query side:
//! 1. normalize: NFKC, lower case, `ё` → `е`, Traditional → Simplified character map;
//! 2. split into runs of Han characters and runs of other letters and digits;
//! 3. a word run is stemmed with Snowball (Cyrillic → Russian, else English);
//!    the query side does not stem: it looks the word up in the index's own
//!    table of surface forms, so both sides meet in the vocabulary;
//! 4. a Han run gives its jieba search words, its character bigrams (the
//!    fallback for words the dictionary lacks) and, per jieba word, its
//!    toneless pinyin (`望京` → `wangjing`, every reading of heteronyms).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use jieba_rs::Jieba;
use pinyin::ToPinyinMulti;
use rust_stemmers::{Algorithm, Stemmer};
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

/// Normalizes text the way both sides do: NFKC, lower case, ё → е, Traditional → Simplified.
pub fn normalize(text: &str) -> String {
    let map = traditional_to_simplified();
    text.nfkc()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ё' => 'е',
            c => map.get(&c).copied().unwrap_or(c),
        })
        .collect()
}

/// Splits normalized text into runs of Han characters (`true`) and of other
/// letters and digits (`false`); everything else separates runs.
pub fn runs(normalized: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut run = String::new();
    let mut run_is_han = false;
    for c in normalized.chars() {
        let han = is_han(c);
        let belongs = han || is_word_char(c);
        if belongs && (run.is_empty() || han == run_is_han) {
            run.push(c);
            run_is_han = han;
            continue;
        }
        if !run.is_empty() {
            out.push((std::mem::take(&mut run), run_is_han));
        }
        if belongs {
            run.push(c);
            run_is_han = han;
        }
    }
    if !run.is_empty() {
        out.push((run, run_is_han));
    }
    out
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
        for (run, han) in runs(&normalize(text)) {
            self.flush(&run, han, &mut out);
        }
        out
    }

    fn flush(&self, run: &str, han: bool, out: &mut Vec<Token>) {
        if run.is_empty() {
            return;
        }
        if !han {
            out.push(Token {
                surface: run.to_string(),
                term: self.stem(run),
                kind: TermKind::Word,
            });
            return;
        }
        let chars: Vec<char> = run.chars().collect();
        if chars.len() == 1 {
            out.push(Token {
                surface: run.to_string(),
                term: run.to_string(),
                kind: TermKind::Bigram,
            });
        }
        for pair in chars.windows(2) {
            let bigram: String = pair.iter().collect();
            out.push(Token {
                surface: bigram.clone(),
                term: bigram,
                kind: TermKind::Bigram,
            });
        }
        for word in self.jieba.cut_for_search(run, true) {
            let word = word.word;
            let count = word.chars().count();
            if count >= 2 {
                out.push(Token {
                    surface: word.to_string(),
                    term: word.to_string(),
                    kind: TermKind::HanWord,
                });
            }
            if count >= 2 {
                for reading in pinyin_readings(word) {
                    out.push(Token {
                        surface: reading.clone(),
                        term: reading,
                        kind: TermKind::Pinyin,
                    });
                }
            }
        }
    }

    /// The Snowball stem of one normalized word: Cyrillic → Russian, else English.
    pub fn stem(&self, word: &str) -> String {
        if word.chars().any(|c| c.is_numeric()) {
            return word.to_string();
        }
        let cyrillic = word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        let stemmer = if cyrillic {
            &self.russian
        } else {
            &self.english
        };
        stemmer.stem(word).into_owned()
    }
}

/// Toneless pinyin of a Han word, one string per combination of readings (at most 4).
pub fn pinyin_readings(word: &str) -> Vec<String> {
    let mut readings = vec![String::new()];
    for c in word.chars() {
        let Some(multi) = c.to_pinyin_multi() else {
            return Vec::new();
        };
        let options: Vec<&str> = {
            let mut seen: Vec<&str> = Vec::new();
            for p in multi {
                let plain = p.plain();
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
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "{input}");
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
    }
}
