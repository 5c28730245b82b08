//! Numbers across translations: `1.1万` = `11,000` = `11 000` = `11 тыс.`.
//!
//! In: lines of prose. Out: the quantities they state, normalized to one form
//! each: plain numbers (`11000`, `23`, `2022`), and dates as `date:MM-DD` and
//! `month:MM` next to their year, so `2022年9月16日`, `September 16, 2022` and
//! `16 сентября 2022 г.` all say {2022, date:09-16}. Russian writes a decimal
//! comma (`1,5 млн` = `150万`); Chinese numerals are read too (`一万一千` = 11000).

use std::collections::BTreeSet;

const EN_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const RU_MONTHS: [&str; 12] = [
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
];

/// One quantity found in a line, with the column where it starts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Quantity {
    /// The normalized value (`11000`, `date:09-16`, `month:09`).
    pub value: String,
    /// 1-based column in characters.
    pub column: usize,
    /// The text as written.
    pub written: String,
}

/// The quantities stated in one line of prose, read with English and Chinese
/// conventions (a comma groups digits).
#[cfg(test)]
pub(crate) fn quantities(line: &str) -> Vec<Quantity> {
    quantities_in(line, false)
}

/// Whether a language writes a decimal comma (`1,5`) rather than a decimal point.
pub(crate) fn has_decimal_comma(lang: &str) -> bool {
    let primary = lang.split('-').next().unwrap_or(lang);
    matches!(
        primary,
        "ru" | "uk" | "be" | "kk" | "de" | "fr" | "es" | "it" | "pt" | "pl" | "cs" | "nl"
    )
}

/// The quantities stated in one line of prose; `decimal_comma` reads `1,5` as 1.5.
pub(crate) fn quantities_in(line: &str, decimal_comma: bool) -> Vec<Quantity> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some((value, used)) = chinese_numeral(&chars, i) {
            out.push(Quantity {
                value: value.to_string(),
                column: i + 1,
                written: chars[i..i + used].iter().collect(),
            });
            i += used;
            continue;
        }
        if !chars[i].is_ascii_digit()
            || (i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '.'))
        {
            i += 1;
            continue;
        }
        let start = i;
        let (number, end) = read_number(&chars, i, decimal_comma);
        let rest: String = chars[end..].iter().take(16).collect();
        let before: String = chars[..start]
            .iter()
            .rev()
            .take(14)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        // Dates first: they must not count as loose numbers.
        if let Some((values, used)) = chinese_date(&chars, start) {
            for v in values {
                out.push(Quantity {
                    value: v,
                    column: start + 1,
                    written: chars[start..start + used].iter().collect(),
                });
            }
            i = start + used;
            continue;
        }
        if let Some((value, used)) = day_month(&rest, &number) {
            out.push(Quantity {
                value,
                column: start + 1,
                written: chars[start..end + used].iter().collect(),
            });
            i = end + used;
            continue;
        }
        if let Some(value) = month_day(&before, &number) {
            out.push(Quantity {
                value,
                column: start + 1,
                written: chars[start..end].iter().collect(),
            });
            i = end;
            continue;
        }
        let (multiplier, used) = multiplier(&rest);
        let value = scale(&number, multiplier);
        let ordinal: String = chars[end..].iter().take(3).collect();
        let is_ordinal = ["st", "nd", "rd", "th"].iter().any(|s| {
            ordinal.starts_with(s) && !ordinal.chars().nth(2).is_some_and(|c| c.is_alphabetic())
        });
        let glued = !is_ordinal
            && chars
                .get(end)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == '%');
        if !glued {
            out.push(Quantity {
                value,
                column: start + 1,
                written: chars[start..end + used].iter().collect(),
            });
        }
        i = end + used;
    }
    out
}

/// Every quantity of a line written in `lang`: numbers, dates, and months named with a year.
pub(crate) fn line_values(line: &str, lang: &str) -> Vec<Quantity> {
    let mut found = quantities_in(line, has_decimal_comma(lang));
    for value in month_values(line) {
        found.push(Quantity {
            value,
            column: 1,
            written: String::new(),
        });
    }
    found
}

/// Reads `11,000`, `11 000`, `1.1`, `2022` (and `1,5` with `decimal_comma`):
/// returns the digits (with at most one `.`) and where the number ends. A
/// separator groups digits only after a first group of one to three digits and
/// before exactly three more (`14, 157` is two numbers).
fn read_number(chars: &[char], start: usize, decimal_comma: bool) -> (String, usize) {
    let is_digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let mut digits = String::new();
    let mut i = start;
    while is_digit(i) {
        digits.push(chars[i]);
        i += 1;
    }
    let first_group = digits.len();
    let mut grouped = false;
    while first_group <= 3
        && match chars.get(i) {
            Some(',') => !decimal_comma,
            Some(' ' | '\u{a0}' | '\u{202f}') => true,
            _ => false,
        }
        && (1..=3).all(|k| is_digit(i + k))
        && !is_digit(i + 4)
    {
        digits.extend(&chars[i + 1..i + 4]);
        i += 4;
        grouped = true;
    }
    let decimal_mark = |c: Option<&char>| c == Some(&'.') || (decimal_comma && c == Some(&','));
    if decimal_mark(chars.get(i)) && (!grouped || decimal_comma) && is_digit(i + 1) {
        digits.push('.');
        i += 1;
        while is_digit(i) {
            digits.push(chars[i]);
            i += 1;
        }
    }
    (digits, i)
}

/// A multiplier word right after a number: 万, 萬, 亿, тыс., млн, thousand, million…
fn multiplier(rest: &str) -> (f64, usize) {
    let trimmed = rest.trim_start_matches([' ', '\u{a0}']);
    let skipped = rest.chars().count() - trimmed.chars().count();
    let table: [(&str, f64); 16] = [
        ("миллиард", 1e9),
        ("миллион", 1e6),
        ("trillion", 1e12),
        ("трлн", 1e12),
        ("万", 1e4),
        ("萬", 1e4),
        ("亿", 1e8),
        ("億", 1e8),
        ("тыс.", 1e3),
        ("тыс", 1e3),
        ("млн", 1e6),
        ("млрд", 1e9),
        ("thousand", 1e3),
        ("million", 1e6),
        ("billion", 1e9),
        ("千", 1e3),
    ];
    for (word, factor) in table {
        if trimmed.starts_with(word) {
            return (factor, skipped + word.chars().count());
        }
    }
    (1.0, 0)
}

fn scale(number: &str, multiplier: f64) -> String {
    if multiplier == 1.0 {
        if number.contains('.') {
            return number.to_string();
        }
        let trimmed = number.trim_start_matches('0');
        return if trimmed.is_empty() {
            "0".to_string()
        } else {
            trimmed.to_string()
        };
    }
    match number.parse::<f64>() {
        Ok(n) => format!("{}", (n * multiplier).round() as i64),
        Err(_) => number.to_string(),
    }
}

/// The value of a Chinese numeral digit: 〇零一二两三四五六七八九 (and 兩).
fn chinese_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' | '兩' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn chinese_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1_000,
        '万' | '萬' => 10_000,
        '亿' | '億' => 100_000_000,
        _ => return None,
    })
}

/// A Chinese numeral such as 一万一千 (11000) or 两千五百 (2500) at `start`,
/// with the characters it uses. Only numerals with a digit first and a unit of
/// a hundred or more count: 一个, 十四五 and 千万 ("by all means") are words.
fn chinese_numeral(chars: &[char], start: usize) -> Option<(u64, usize)> {
    let first = *chars.get(start)?;
    if chinese_digit(first).is_none() && first != '十' {
        return None;
    }
    let is_numeral = |c: char| chinese_digit(c).is_some() || chinese_unit(c).is_some();
    if start > 0 && is_numeral(chars[start - 1]) {
        return None;
    }
    let used = chars[start..]
        .iter()
        .take_while(|c| is_numeral(**c))
        .count();
    let run = &chars[start..start + used];
    if !run
        .iter()
        .any(|c| chinese_unit(*c).is_some_and(|u| u >= 100))
    {
        return None;
    }
    let (mut total, mut section, mut number) = (0u64, 0u64, 0u64);
    for &c in run {
        if let Some(d) = chinese_digit(c) {
            number = d;
            continue;
        }
        match chinese_unit(c)? {
            unit @ (10 | 100 | 1_000) => {
                section = section.checked_add(number.max(1).checked_mul(unit)?)?;
                number = 0;
            }
            10_000 => {
                let part = section.checked_add(number)?.checked_mul(10_000)?;
                total = total.checked_add(part)?;
                (section, number) = (0, 0);
            }
            unit => {
                total = total
                    .checked_add(section)?
                    .checked_add(number)?
                    .checked_mul(unit)?;
                (section, number) = (0, 0);
            }
        }
    }
    Some((total.checked_add(section)?.checked_add(number)?, used))
}

/// `2022年9月16日`, `9月16日`, `2022年9月`: year plus `date:`/`month:` values, and characters used.
fn chinese_date(chars: &[char], start: usize) -> Option<(Vec<String>, usize)> {
    let take_digits = |from: usize| -> (String, usize) {
        let mut s = String::new();
        let mut i = from;
        while i < chars.len() && chars[i].is_ascii_digit() {
            s.push(chars[i]);
            i += 1;
        }
        (s, i)
    };
    let (first, after_first) = take_digits(start);
    let mut values = Vec::new();
    let mut i = after_first;
    let month;
    if chars.get(i) == Some(&'年') {
        values.push(first.clone());
        let (m, after_m) = take_digits(i + 1);
        if !m.is_empty() && chars.get(after_m) == Some(&'月') {
            month = Some(m);
            i = after_m + 1;
        } else {
            return Some((values, i + 1 - start));
        }
    } else if chars.get(i) == Some(&'月') && first.len() <= 2 {
        month = Some(first);
        i += 1;
    } else {
        return None;
    }
    let month: u32 = month?.parse().ok()?;
    let (day, after_day) = take_digits(i);
    if !day.is_empty() && matches!(chars.get(after_day), Some('日' | '号')) {
        let day: u32 = day.parse().ok()?;
        values.push(format!("date:{month:02}-{day:02}"));
        return Some((values, after_day + 1 - start));
    }
    values.push(format!("month:{month:02}"));
    Some((values, i - start))
}

/// `16 September`, `16 сентября` (the day comes first): `date:09-16`.
fn day_month(rest: &str, number: &str) -> Option<(String, usize)> {
    let day: u32 = number.parse().ok().filter(|d| (1..=31).contains(d))?;
    let trimmed = rest.trim_start_matches([' ', '\u{a0}']);
    let skipped = rest.chars().count() - trimmed.chars().count();
    if skipped == 0 {
        return None;
    }
    let word: String = trimmed
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    let month = month_number(&word)?;
    Some((
        format!("date:{month:02}-{day:02}"),
        skipped + word.chars().count(),
    ))
}

/// `September 16` (the month comes first): `date:09-16`.
fn month_day(before: &str, number: &str) -> Option<String> {
    let day: u32 = number.parse().ok().filter(|d| (1..=31).contains(d))?;
    let trimmed = before.trim_end_matches([' ', '\u{a0}']);
    if trimmed.len() == before.len() {
        return None;
    }
    let word: String = trimmed
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    let month = EN_MONTHS.iter().position(|m| *m == word)? + 1;
    Some(format!("date:{month:02}-{day:02}"))
}

fn month_number(word: &str) -> Option<usize> {
    if let Some(i) = EN_MONTHS.iter().position(|m| *m == word) {
        return Some(i + 1);
    }
    // Russian month names in the genitive: января, мая…; "ма" only as "мая".
    if word == "мая" || word == "май" {
        return Some(5);
    }
    RU_MONTHS
        .iter()
        .position(|stem| stem.len() > 4 && word.starts_with(stem))
        .map(|i| i + 1)
}

/// Month names standing alone with a year (`September 2022`, `сентябре 2022`), as `month:` values.
pub(crate) fn month_values(line: &str) -> BTreeSet<String> {
    // A year is four digits in a row: most lines have none.
    if !line
        .as_bytes()
        .windows(4)
        .any(|run| run.iter().all(u8::is_ascii_digit))
    {
        return BTreeSet::new();
    }
    let lower = line.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphabetic() && !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = BTreeSet::new();
    for (i, pair) in words.windows(2).enumerate() {
        let is_year = pair[1].len() == 4 && pair[1].chars().all(|c| c.is_ascii_digit());
        let after_day =
            i > 0 && words[i - 1].len() <= 2 && words[i - 1].chars().all(|c| c.is_ascii_digit());
        if let (true, false, Some(m)) = (is_year, after_day, month_number(pair[0])) {
            out.insert(format!("month:{m:02}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(line: &str) -> Vec<String> {
        quantities(line).into_iter().map(|q| q.value).collect()
    }

    #[test]
    fn the_same_figure_in_every_language() {
        let cases = [
            ("北京共推动1.1万套国际人才公寓", vec!["11000"]),
            ("北京共推動1.1萬套國際人才公寓", vec!["11000"]),
            ("Beijing has 11,000 apartments", vec!["11000"]),
            ("Beijing has 11 000 apartments", vec!["11000"]),
            ("11 тыс. апартаментов", vec!["11000"]),
            ("23所国际学校、8家国际医院", vec!["23", "8"]),
            ("210 billion yuan", vec!["210000000000"]),
            ("2 100亿元", vec!["210000000000"]),
        ];
        for (line, expected) in cases {
            assert_eq!(vals(line), expected, "{line}");
        }
    }

    #[test]
    fn dates_in_every_language_agree() {
        let zh = vals("2022年9月16日召开");
        let en = vals("on September 16, 2022");
        let en_uk = vals("on 16 September 2022");
        let ru = vals("16 сентября 2022 г.");
        assert_eq!(zh, ["2022", "date:09-16"]);
        let mut en_sorted = en.clone();
        en_sorted.sort();
        assert_eq!(en_sorted, ["2022", "date:09-16"]);
        let mut uk = en_uk.clone();
        uk.sort();
        assert_eq!(uk, ["2022", "date:09-16"]);
        let mut ru_sorted = ru.clone();
        ru_sorted.sort();
        assert_eq!(ru_sorted, ["2022", "date:09-16"]);
        assert_eq!(vals("9月12日"), ["date:09-12"]);
        assert_eq!(vals("12 мая"), ["date:05-12"]);
    }

    #[test]
    fn russian_decimal_commas() {
        let ru = |line: &str| -> Vec<String> {
            quantities_in(line, true)
                .into_iter()
                .map(|q| q.value)
                .collect()
        };
        assert_eq!(ru("1,5 млн человек"), ["1500000"]);
        assert_eq!(vals("150万人"), ["1500000"]);
        assert_eq!(ru("11 000 квартир и 2,25 тыс. мест"), ["11000", "2250"]);
        assert_eq!(ru("в 2021, 2022 годах"), ["2021", "2022"]);
        assert_eq!(vals("1,500 people"), ["1500"]);
        assert!(has_decimal_comma("ru") && !has_decimal_comma("en"));
    }

    #[test]
    fn chinese_numerals() {
        let cases: [(&str, &[&str]); 9] = [
            ("一万一千套公寓", &["11000"]),
            ("两千五百人", &["2500"]),
            ("一千零五", &["1005"]),
            ("十万元", &["100000"]),
            ("一亿二千万", &["120000000"]),
            ("一个平台，统一服务", &[]),
            ("十四五规划", &[]),
            ("千万不要", &[]),
            ("万一", &[]),
        ];
        for (line, expected) in cases {
            assert_eq!(vals(line), expected, "{line}");
        }
    }

    #[test]
    fn percentages_and_words_with_digits_are_skipped() {
        assert_eq!(vals("grew 5% and HICOOL2021 and 5G"), Vec::<String>::new());
        assert_eq!(vals("the 35th session of the 15th congress"), ["35", "15"]);
    }
}
