//! Regional vocabulary on the Chinese sites: a word as the mainland writes it
//! and as Taiwan writes it (`软件` / `軟體`, `计划` / `計畫`) find each other.
//!
//! In: the distinct Han words of an index (already normalized to Simplified
//! characters). Out: for each, the other region's words, also normalized.
//! OpenCC's phrase tables decide (`s2twp` for mainland → Taiwan, `tw2sp` the
//! other way), plus a short supplement of pairs those tables lack. The index
//! side adds the variants as terms of the same documents, so the query side
//! needs nothing and both sides stay one truth.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use rayon::prelude::*;

use super::tokenize::normalize;

/// Mainland and Taiwan words that OpenCC's phrase tables do not pair (both in
/// their own script); each is folded both ways.
const SUPPLEMENT: &[(&str, &str)] = &[("计划", "計畫"), ("租房", "租屋"), ("上线", "上線")];

fn converter(
    cell: &'static OnceLock<Option<OpenCC>>,
    config: BuiltinConfig,
) -> Option<&'static OpenCC> {
    cell.get_or_init(|| OpenCC::from_config(config).ok())
        .as_ref()
}

/// The other region's forms of one normalized Han word (none when they are the same).
pub(crate) fn variants_of(word: &str) -> Vec<String> {
    static TO_TAIWAN: OnceLock<Option<OpenCC>> = OnceLock::new();
    static TO_TRADITIONAL: OnceLock<Option<OpenCC>> = OnceLock::new();
    static TO_MAINLAND: OnceLock<Option<OpenCC>> = OnceLock::new();
    let mut out = BTreeSet::new();
    if let Some(taiwan) = converter(&TO_TAIWAN, BuiltinConfig::S2twp) {
        out.insert(normalize(&taiwan.convert(word)));
    }
    if let (Some(traditional), Some(mainland)) = (
        converter(&TO_TRADITIONAL, BuiltinConfig::S2tw),
        converter(&TO_MAINLAND, BuiltinConfig::Tw2sp),
    ) {
        out.insert(normalize(&mainland.convert(&traditional.convert(word))));
    }
    for (a, b) in SUPPLEMENT {
        let (a, b) = (normalize(a), normalize(b));
        if word == a {
            out.insert(b);
        } else if word == b {
            out.insert(a);
        }
    }
    out.remove(word);
    out.into_iter()
        .filter(|v| v.chars().count() >= 2 && v.chars().all(super::tokenize::is_han))
        .collect()
}

/// The variants of every word in `words` that has any, words converted in parallel.
pub(crate) fn variants(words: &BTreeSet<&str>) -> BTreeMap<String, Vec<String>> {
    let words: Vec<&str> = words.iter().copied().collect();
    words
        .par_iter()
        .filter_map(|word| {
            let found = variants_of(word);
            (!found.is_empty()).then(|| (word.to_string(), found))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mainland_and_taiwan_words_pair_up() {
        assert!(
            variants_of("软件").contains(&"软体".to_string()),
            "{:?}",
            variants_of("软件")
        );
        assert!(
            variants_of("软体").contains(&"软件".to_string()),
            "{:?}",
            variants_of("软体")
        );
        assert!(variants_of("计划").contains(&"计画".to_string()));
        assert!(variants_of("计画").contains(&"计划".to_string()));
        assert!(variants_of("租屋").contains(&"租房".to_string()));
        assert!(variants_of("国际").is_empty(), "{:?}", variants_of("国际"));
    }
}
