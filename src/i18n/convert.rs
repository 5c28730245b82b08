//! Simplified ↔ Traditional Chinese, converted phrase by phrase with OpenCC data.
//!
//! In: text in one script. Out: the same text in the other. The converters are
//! built once, on first use, and shared read-only by every thread after that.

use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

pub use crate::language::Direction;

/// Converts `text` in the given direction, with Taiwan-standard characters
/// (for pages derived from another script).
pub fn convert(direction: Direction, text: &str) -> String {
    static TO_HANT: OnceLock<Option<OpenCC>> = OnceLock::new();
    static TO_HANS: OnceLock<Option<OpenCC>> = OnceLock::new();
    match direction {
        Direction::HansToHant => run(&TO_HANT, BuiltinConfig::S2tw, text),
        Direction::HantToHans => run(&TO_HANS, BuiltinConfig::Tw2s, text),
    }
}

/// Converts with OpenCC's standard tables, without Taiwan variants: the right
/// test of which script a text is in (平台 and 发布 are correct Traditional too).
pub fn convert_standard(direction: Direction, text: &str) -> String {
    static TO_HANT: OnceLock<Option<OpenCC>> = OnceLock::new();
    static TO_HANS: OnceLock<Option<OpenCC>> = OnceLock::new();
    match direction {
        Direction::HansToHant => run(&TO_HANT, BuiltinConfig::S2t, text),
        Direction::HantToHans => run(&TO_HANS, BuiltinConfig::T2s, text),
    }
}

/// Converts with the converter in `cell`, building it from `config` on first use.
fn run(cell: &OnceLock<Option<OpenCC>>, config: BuiltinConfig, text: &str) -> String {
    match cell.get_or_init(|| OpenCC::from_config(config).ok()) {
        Some(converter) => converter.convert(text),
        None => text.to_string(),
    }
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
