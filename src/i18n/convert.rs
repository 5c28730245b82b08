//! Simplified ↔ Traditional Chinese, converted phrase by phrase with OpenCC data.
//!
//! In: text in one script. Out: the same text in the other. The converters are
//! built once, on first use, and shared read-only by every thread after that.

use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

use crate::diagnostics::Code;
pub use crate::language::Direction;

type Converter = Result<OpenCC, String>;

/// The converter `derive` uses, built on first use: Taiwan-standard characters.
fn derive_converter(direction: Direction) -> &'static Converter {
    static TO_HANT: OnceLock<Converter> = OnceLock::new();
    static TO_HANS: OnceLock<Converter> = OnceLock::new();
    match direction {
        Direction::HansToHant => build(&TO_HANT, BuiltinConfig::S2tw),
        Direction::HantToHans => build(&TO_HANS, BuiltinConfig::Tw2s),
    }
}

/// Converts `text` in the given direction, with Taiwan-standard characters and,
/// towards Traditional, Taiwan's quotation marks (for pages derived from another
/// script). If the converter could not be built, the text is returned as it
/// is and [`check_ready`] has reported it.
pub(crate) fn convert(direction: Direction, text: &str) -> String {
    let converted = match derive_converter(direction) {
        Ok(converter) => converter.convert(text),
        Err(_) => text.to_string(),
    };
    match direction {
        Direction::HansToHant => taiwan_quotes(&converted),
        Direction::HantToHans => converted,
    }
}

/// Mainland quotation marks → Taiwan's corner brackets: “” → 「」 and, for
/// quotes inside quotes, ‘’ → 『』. A single quote counts only beside a Han
/// character or a bracket, so an apostrophe in a Latin word (Beijing’s) stays.
pub(crate) fn taiwan_quotes(text: &str) -> String {
    if !text.contains(['“', '”', '‘', '’']) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let chinese =
        |c: Option<&char>| c.is_some_and(|&c| is_han(c) || "「」『』，。：；！？、".contains(c));
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|j| chars.get(j));
        let after = chars.get(i + 1);
        out.push(match c {
            '“' => '「',
            '”' => '」',
            '‘' if chinese(before) || chinese(after) => '『',
            '’' if chinese(before) || chinese(after) => '』',
            other => other,
        });
    }
    out
}

/// Whether `c` is a Han character (CJK ideographs, extensions, compatibility).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3007)
}

/// The Chinese script a run of Han text is written in, as a language tag:
/// `zh-Hant` when converting it to Simplified changes it, else `zh-Hans` (the
/// characters both scripts share read as Simplified, the guide's own).
pub(crate) fn han_lang(text: &str) -> &'static str {
    if convert_standard(Direction::HantToHans, text) == text {
        "zh-Hans"
    } else {
        "zh-Hant"
    }
}

/// The language a short text (a cited title, a publisher) is most likely in,
/// told by its script, for a page in `page_lang`: Han → `zh-Hans` or
/// `zh-Hant`, Cyrillic → `ru`, Latin on a Chinese or Russian page → `en`;
/// otherwise the page's own language.
pub(crate) fn detect_lang<'a>(text: &str, page_lang: &'a str) -> &'a str {
    let primary = page_lang.split('-').next().unwrap_or(page_lang);
    if text.chars().any(is_han) {
        return han_lang(text);
    }
    if text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
        return if primary == "ru" { page_lang } else { "ru" };
    }
    if text.chars().any(|c| c.is_ascii_alphabetic()) && matches!(primary, "zh" | "ru") {
        return "en";
    }
    page_lang
}

/// Converts with OpenCC's standard tables, without Taiwan variants: the right
/// test of which script a text is in (平台 and 发布 are correct Traditional too).
pub fn convert_standard(direction: Direction, text: &str) -> String {
    static TO_HANT: OnceLock<Converter> = OnceLock::new();
    static TO_HANS: OnceLock<Converter> = OnceLock::new();
    let converter = match direction {
        Direction::HansToHant => build(&TO_HANT, BuiltinConfig::S2t),
        Direction::HantToHans => build(&TO_HANS, BuiltinConfig::T2s),
    };
    match converter {
        Ok(converter) => converter.convert(text),
        Err(_) => text.to_string(),
    }
}

/// The converter in `cell`, built from `config` on first use.
fn build(cell: &'static OnceLock<Converter>, config: BuiltinConfig) -> &'static Converter {
    cell.get_or_init(|| OpenCC::from_config(config).map_err(|e| e.to_string()))
}

/// An error for each `derive` pair whose converter cannot be built: without
/// it, the derived pages would stay in the other script.
pub(crate) fn check_ready(config: &crate::config::Config) -> Vec<crate::diagnostics::Diagnostic> {
    ready_with(config, |direction| {
        derive_converter(direction).as_ref().err().cloned()
    })
}

/// [`check_ready`] with the converter's failure (if any) given by `failure`.
fn ready_with(
    config: &crate::config::Config,
    failure: impl Fn(Direction) -> Option<String>,
) -> Vec<crate::diagnostics::Diagnostic> {
    use crate::diagnostics::{Diagnostic, Position};
    let mut out = Vec::new();
    for (target, source) in &config.derive {
        let Some(direction) = Direction::between(source, target) else {
            continue;
        };
        if let Some(error) = failure(direction) {
            out.push(
                Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    Position::FILE,
                    Code::ConfigDerive,
                    format!("`{target}` cannot be converted from `{source}`: the conversion tables failed to load ({error})"),
                )
                .with_hint("the pages would stay in the other script; reinstall signpost, or remove the `derive` entry"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_phrases_not_characters() {
        let cases = [
            ("长发", "長髮"),
            ("头发", "頭髮"),
            ("发展", "發展"),
            ("干部", "幹部"),
            ("这里", "這裡"),
            ("公里", "公里"),
            ("望京小街", "望京小街"),
            ("国际人才社区", "國際人才社區"),
        ];
        for (hans, hant) in cases {
            assert_eq!(convert(Direction::HansToHant, hans), hant, "{hans}");
        }
        assert_eq!(
            convert(Direction::HantToHans, "國際學校與醫院"),
            "国际学校与医院"
        );
    }

    #[test]
    fn derived_traditional_uses_taiwan_quotes() {
        assert_eq!(
            convert(Direction::HansToHant, "所谓“两证”，指‘工作许可’。"),
            "所謂「兩證」，指『工作許可』。"
        );
        assert_eq!(taiwan_quotes("Beijing’s “望京”"), "Beijing’s 「望京」");
        assert_eq!(convert(Direction::HantToHans, "「兩證」"), "「两证」");
    }

    #[test]
    fn han_runs_are_told_apart_and_cites_detected() {
        assert_eq!(han_lang("望京小街"), "zh-Hans");
        assert_eq!(han_lang("国际人才社区"), "zh-Hans");
        assert_eq!(han_lang("國際人才社區"), "zh-Hant");
        assert_eq!(detect_lang("擦亮“雙奧之城”名片", "en"), "zh-Hant");
        assert_eq!(detect_lang("北京市人民政府", "ru"), "zh-Hans");
        assert_eq!(detect_lang("Beijing Review", "zh-Hans"), "en");
        assert_eq!(detect_lang("Beijing Review", "en"), "en");
        assert_eq!(detect_lang("Известия", "en"), "ru");
    }

    #[test]
    fn a_converter_that_fails_to_load_is_an_error() {
        let config = crate::config::Config::parse(
            "languages: [zh-Hans, zh-Hant]\nderive: {zh-Hant: zh-Hans}\n",
        )
        .unwrap();
        assert!(check_ready(&config).is_empty());
        let errors = ready_with(&config, |_| Some("no data".to_string()));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, Code::ConfigDerive);
        assert_eq!(errors[0].file, "site.yaml");
        assert!(
            errors[0].message.contains("no data"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn directions_follow_the_script_subtag() {
        assert_eq!(
            Direction::between("zh-Hans", "zh-Hant"),
            Some(Direction::HansToHant)
        );
        assert_eq!(
            Direction::between("zh-Hant", "zh-Hans"),
            Some(Direction::HantToHans)
        );
        assert_eq!(Direction::between("en", "zh-Hant"), None);
    }
}
