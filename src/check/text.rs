//! Checks of the words themselves: repeated paragraphs, text in the wrong
//! script or language for its page, and mojibake.
//!
//! In: each written version's prose lines with their file and line. Out:
//! warnings (repeats, wrong script or language) and errors (mojibake).
//! Simplified vs Traditional is decided by phrase-level conversion: a line
//! that changes when converted to the page's own script holds the other one.

use std::collections::BTreeMap;

use crate::diagnostics::{Code, Diagnostic, Position};
use crate::i18n::convert::{self, Direction};

/// A line of prose: file, 1-based line number, the text without Markdown link targets.
#[derive(Debug, Clone)]
pub(crate) struct ProseLine {
    /// 1-based line in the file.
    pub line: usize,
    /// The text, Markdown link targets and ids removed.
    pub text: String,
}

/// The prose lines of a Markdown body, numbered in the file (`first_line` is the body's).
pub(crate) fn prose_lines(body: &str, first_line: usize) -> Vec<ProseLine> {
    let mut out = Vec::new();
    let mut in_code = false;
    for (i, raw) in body.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code
            || trimmed.is_empty()
            || trimmed.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
        {
            continue;
        }
        out.push(ProseLine {
            line: first_line + i,
            text: strip_markup(raw),
        });
    }
    out
}

/// Removes link targets `](…)`, `{#id}` attributes, footnote labels and HTML tags.
pub(crate) fn strip_markup(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let skip_to = |open: char, close: char, from: usize| -> Option<usize> {
            (chars.get(from) == Some(&open))
                .then(|| {
                    chars[from..]
                        .iter()
                        .position(|&x| x == close)
                        .map(|p| from + p + 1)
                })
                .flatten()
        };
        if c == ']'
            && let Some(end) = skip_to('(', ')', i + 1)
        {
            out.push(' ');
            i = end;
            continue;
        }
        if c == '{'
            && chars.get(i + 1) == Some(&'#')
            && let Some(end) = skip_to('{', '}', i)
        {
            i = end;
            continue;
        }
        if c == '['
            && chars.get(i + 1) == Some(&'^')
            && let Some(end) = skip_to('[', ']', i)
        {
            i = end;
            continue;
        }
        if c == '<'
            && chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/')
            && let Some(end) = skip_to('<', '>', i)
        {
            i = end;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Warns about a paragraph that appears twice on one page.
pub(crate) fn repeated_paragraphs(
    file: &str,
    body: &str,
    first_line: usize,
    out: &mut Vec<Diagnostic>,
) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut paragraph = String::new();
    let mut start = 0;
    for (i, line) in body.lines().chain(std::iter::once("")).enumerate() {
        if line.trim().is_empty() {
            let normalized = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
            if normalized.chars().count() >= 24
                && !normalized.starts_with('|')
                && !normalized.starts_with('#')
            {
                if let Some(earlier) = seen.get(&normalized) {
                    out.push(
                        Diagnostic::warning(
                            file,
                            Position::new(first_line + start, 1),
                            Code::TextRepeatedParagraph,
                            format!("this paragraph already appears at line {earlier}"),
                        )
                        .with_hint("remove one of the copies"),
                    );
                } else {
                    seen.insert(normalized, first_line + start);
                }
            }
            paragraph.clear();
            continue;
        }
        if paragraph.is_empty() {
            start = i;
        }
        paragraph.push_str(line);
        paragraph.push(' ');
    }
}

/// Letters of a line counted by script.
#[derive(Debug, Default, Clone, Copy)]
struct Scripts {
    han: usize,
    latin: usize,
    cyrillic: usize,
}

fn count_scripts(text: &str) -> Scripts {
    let mut counts = Scripts::default();
    for c in text.chars() {
        if crate::search::tokenize::is_han(c) {
            counts.han += 1;
        } else if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
            counts.latin += 1;
        } else if ('\u{0400}'..='\u{04FF}').contains(&c) {
            counts.cyrillic += 1;
        }
    }
    counts
}

/// Fewer letters than this in a line of body text say too little about its language.
const BODY_LETTERS: usize = 30;
/// The same for a title, a summary or a facility field: short, but all of one language.
const FIELD_LETTERS: usize = 12;

/// Warns about text in the wrong script or language for a page in `lang`.
pub(crate) fn wrong_script(file: &str, lang: &str, lines: &[ProseLine], out: &mut Vec<Diagnostic>) {
    wrong_script_min(file, lang, lines, BODY_LETTERS, out);
}

/// Language and script checks on one text field (a title, a summary, a
/// facility's `name.ru`…) written in `lang`, whose text starts at `at`;
/// a text of several lines (a YAML block) continues on the lines below, at
/// the same column.
pub(crate) fn field(file: &str, lang: &str, at: Position, text: &str, out: &mut Vec<Diagnostic>) {
    located(file, lang, at, text, FIELD_LETTERS, out);
}

/// [`field`] for a facility's `name`: a proper name may rightly be written
/// in another language (a brand in Latin letters on a Chinese page, as its
/// sources give it), so only its Chinese script is checked.
pub(crate) fn name(file: &str, lang: &str, at: Position, text: &str, out: &mut Vec<Diagnostic>) {
    located(file, lang, at, text, usize::MAX, out);
}

fn located(
    file: &str,
    lang: &str,
    at: Position,
    text: &str,
    min_letters: usize,
    out: &mut Vec<Diagnostic>,
) {
    let lines: Vec<ProseLine> = if text.trim_end().contains('\n') {
        prose_lines(text, at.line)
    } else {
        vec![ProseLine {
            line: at.line,
            text: strip_markup(text),
        }]
    };
    let first = out.len();
    wrong_script_min(file, lang, &lines, min_letters, out);
    for d in &mut out[first..] {
        d.column += at.column.saturating_sub(1);
    }
}

/// Warns, line by line, of the other Chinese script on a Chinese page, and
/// of a line of `min_letters` or more in another language.
fn wrong_script_min(
    file: &str,
    lang: &str,
    lines: &[ProseLine],
    min_letters: usize,
    out: &mut Vec<Diagnostic>,
) {
    let own = Direction::between(
        if lang == "zh-Hans" {
            "zh-Hant"
        } else {
            "zh-Hans"
        },
        lang,
    );
    let is_zh = lang.starts_with("zh");
    for line in lines {
        if let Some(direction) = own.filter(|_| is_zh)
            && let Some(warning) = other_script(file, lang, line, direction)
        {
            out.push(warning);
            continue;
        }
        out.extend(other_language(file, lang, line, min_letters));
    }
}

/// The warning for a line of a Chinese page written in the other script.
///
/// Evidence both ways: characters that change when converted to this page's
/// script, against those that change the other way. Many characters are
/// correct in both (台, 布, 准): a line is in the other script only when its
/// evidence for it is at least two characters and outweighs the rest.
/// A line with fewer than two Han characters cannot hold that evidence,
/// and the second conversion is needed only when the first found some.
fn other_script(
    file: &str,
    lang: &str,
    line: &ProseLine,
    direction: Direction,
) -> Option<Diagnostic> {
    let han = line.text.chars().filter(|&c| convert::is_han(c)).count();
    let toward_own = if han >= 2 {
        convert::convert_standard(direction, &line.text)
    } else {
        line.text.clone()
    };
    let against = changed(&line.text, &toward_own);
    let for_own = if against >= 2 {
        let other_way = convert::convert_standard(opposite(direction), &line.text);
        changed(&line.text, &other_way)
    } else {
        0
    };
    if against < 2 || against <= for_own {
        return None;
    }
    let runs = differences(&line.text, &toward_own);
    let (column, _) = runs.first()?;
    let mut named: Vec<String> = Vec::new();
    for (_, run) in &runs {
        let quoted = format!("`{run}`");
        if !named.contains(&quoted) {
            named.push(quoted);
        }
    }
    let found = named.join(", ");
    let (other, this) = match direction {
        Direction::HantToHans => ("Traditional", "Simplified"),
        Direction::HansToHant => ("Simplified", "Traditional"),
    };
    Some(
        Diagnostic::warning(
            file,
            Position::new(line.line, *column),
            Code::TextWrongScript,
            format!("{other} characters on a {lang} page: {found}"),
        )
        .with_hint(format!(
            "write it in {this} characters, or move the text to the {other} page"
        )),
    )
}

/// The warning for a line of at least `min_letters` letters in another
/// language than the page's, by the scripts it is written in.
fn other_language(
    file: &str,
    lang: &str,
    line: &ProseLine,
    min_letters: usize,
) -> Option<Diagnostic> {
    let scripts = count_scripts(&line.text);
    let letters = scripts.han + scripts.latin + scripts.cyrillic;
    if letters < min_letters {
        return None;
    }
    let foreign = match lang {
        "ru" => scripts.cyrillic == 0 && scripts.latin * 10 >= letters * 7,
        "en" => (scripts.cyrillic + scripts.han) * 2 >= letters,
        _ if lang.starts_with("zh") => {
            scripts.han == 0 && (scripts.latin + scripts.cyrillic) * 10 >= letters * 7
        }
        _ => false,
    };
    if !foreign {
        return None;
    }
    let named = whatlang::detect(&line.text).map_or_else(
        || "another language".to_string(),
        |info| format!("what looks like {}", info.lang().eng_name()),
    );
    Some(
        Diagnostic::warning(
            file,
            Position::new(line.line, 1),
            Code::TextWrongLanguage,
            format!("{named} on a `{lang}` page"),
        )
        .with_hint("translate the line, or move it to the page of its language"),
    )
}

fn opposite(direction: Direction) -> Direction {
    match direction {
        Direction::HansToHant => Direction::HantToHans,
        Direction::HantToHans => Direction::HansToHant,
    }
}

/// How many characters differ between a text and its conversion.
fn changed(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).filter(|(x, y)| x != y).count()
}

/// The column (1-based) and text of every run where `a` and `b` differ.
fn differences(a: &str, b: &str) -> Vec<(usize, String)> {
    let mut runs: Vec<(usize, String)> = Vec::new();
    let mut previous_differed = false;
    for (i, (x, y)) in a.chars().zip(b.chars()).enumerate() {
        if x == y {
            previous_differed = false;
            continue;
        }
        match runs.last_mut() {
            Some((_, run)) if previous_differed => run.push(x),
            _ => runs.push((i + 1, x.to_string())),
        }
        previous_differed = true;
    }
    runs
}

/// Errors for mojibake: `U+FFFD`, UTF-8 read as Latin-1 (`Ã©`, `â€™`, `Ð¿`), and
/// conversion debris such as `區(qū)`.
pub(crate) fn mojibake(file: &str, lines: &[ProseLine], out: &mut Vec<Diagnostic>) {
    for line in lines {
        let chars: Vec<char> = line.text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let next = chars.get(i + 1).copied();
            let found = if c == '\u{FFFD}' {
                Some(c.to_string())
            } else if matches!(c, 'Ã' | 'Â' | 'Ð' | 'Ñ')
                && next.is_some_and(|n| ('\u{0080}'..='\u{00BF}').contains(&n))
            {
                Some(chars[i..i + 2].iter().collect())
            } else if c == 'â' && next == Some('€') {
                Some(chars[i..(i + 3).min(chars.len())].iter().collect())
            } else if crate::search::tokenize::is_han(c) && next == Some('(') {
                let inner: String = chars[i + 2..].iter().take_while(|x| **x != ')').collect();
                let toned = inner
                    .chars()
                    .any(|x| "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ".contains(x));
                (toned && inner.len() <= 12 && inner.chars().all(|x| x.is_alphabetic())).then(
                    || {
                        chars[i..(i + 3 + inner.chars().count()).min(chars.len())]
                            .iter()
                            .collect()
                    },
                )
            } else {
                None
            };
            if let Some(found) = found {
                out.push(
                    Diagnostic::error(file, Position::new(line.line, i + 1), Code::TextMojibake, format!("garbled text `{found}`"))
                        .with_hint("the text was damaged by a wrong encoding or a conversion; retype it from a good copy"),
                );
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<ProseLine> {
        prose_lines(text, 1)
    }

    #[test]
    fn traditional_on_a_simplified_page() {
        let mut out = Vec::new();
        wrong_script(
            "a.md",
            "zh-Hans",
            &lines("北京的国际人才社区。\n北京的國際人才社區。\n什么是平台\n"),
            &mut out,
        );
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].line, 2);
        assert_eq!(out[0].code, Code::TextWrongScript);
        assert!(
            out[0].message.ends_with("`國際`, `區`"),
            "every offending word is named: {}",
            out[0].message
        );
    }

    #[test]
    fn fields_are_checked_at_their_column() {
        let mut out = Vec::new();
        field(
            "a.md",
            "zh-Hans",
            Position::new(2, 8),
            "北京的國際社區",
            &mut out,
        );
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!((out[0].line, out[0].column), (2, 11));
        let mut out = Vec::new();
        field(
            "a.yaml",
            "ru",
            Position::new(5, 13),
            "Die Stadt hilft allen Leuten",
            &mut out,
        );
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].code, Code::TextWrongLanguage);
        let mut out = Vec::new();
        field(
            "a.yaml",
            "ru",
            Position::new(5, 13),
            "Пекин WeChat",
            &mut out,
        );
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn correct_traditional_words_are_not_flagged() {
        let mut out = Vec::new();
        wrong_script(
            "a.md",
            "zh-Hant",
            &lines("海淀區的鄰里交往平台，于海蛟副局長批准，整體布局與峰會。\n平台\n"),
            &mut out,
        );
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn german_on_a_russian_page() {
        let mut out = Vec::new();
        let text = "Пекин строит сообщества для иностранных специалистов.\n„BeijingService“-WeChat-Konto und die Miniprogramme der Stadtverwaltung\n";
        wrong_script("a.md", "ru", &lines(text), &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].line, 2);
        assert!(out[0].message.contains("German"), "{}", out[0].message);
    }

    #[test]
    fn mojibake_is_found() {
        let mut out = Vec::new();
        mojibake(
            "a.md",
            &lines("fine\ncafÃ© and more\n功能區(qū)建設\nbad \u{FFFD} byte\n"),
            &mut out,
        );
        let found: Vec<usize> = out.iter().map(|d| d.line).collect();
        assert_eq!(found, [2, 3, 4]);
    }

    #[test]
    fn repeated_paragraphs_are_found() {
        let mut out = Vec::new();
        let body = "A paragraph long enough to count as one.\n\nSomething else entirely here.\n\nA paragraph long enough to count as one.\n";
        repeated_paragraphs("a.md", body, 5, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].line, 9);
        assert!(out[0].message.contains("line 5"));
    }

    #[test]
    fn link_targets_are_not_prose() {
        assert_eq!(
            strip_markup("See [Wangjing](@/communities/wangjing.md#x) now {#id}"),
            "See [Wangjing  now "
        );
    }
}
