//! Normalization: the first step of the tokenizer, mirrored by the query
//! side: decomposed, lower case, tones and accents dropped from Latin letters,
//! `ё` → `е`, Traditional → Simplified by a closed character map, NFKC; and
//! British spellings folded into American ones.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use super::tokenize::is_cyrillic;
use crate::i18n::convert::{self, Direction};

/// Traditional → Simplified, character by character, from OpenCC's data.
/// Built once; the search module ships the part of it the index needs.
///
/// The map is closed under itself: OpenCC's single-character data has chains
/// (麼 → 么 and 么 → 幺), and a map applied once must give what applying it
/// again gives, or a query and the text it should find normalize apart
/// (found by fuzzing `search_query`). Each character maps to the end of its
/// chain; in a cycle, every member maps to the smallest.
pub(crate) fn traditional_to_simplified() -> &'static BTreeMap<char, char> {
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
/// `normalize_reference` in runs. Both give the same text (the fuzz target
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
pub(crate) fn normalize_reference(text: &str) -> String {
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

/// Folds British spellings into American ones in a lower-case ASCII word, so
/// both find each other: `-our` → `-or` (`neighbourhood`), `-ise` → `-ize`
/// (`organisation`), `-yse` → `-yze`, `-tre` → `-ter` (`centre`), and
/// `-ogue` → `-og`, `-amme` → `-am` (`catalogue`, `programme`). Other words
/// are returned as they are. Mirrored by `foldSpelling` in the module.
pub fn fold_spelling(word: &str) -> String {
    fold_spelling_cow(word).into_owned()
}

/// [`fold_spelling`], borrowing the word when it is left as it is.
pub(super) fn fold_spelling_cow(word: &str) -> Cow<'_, str> {
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
}
