//! Numbers across translations: `1.1万` = `11,000` = `11 000` = `11 тыс.`.
//!
//! In: lines of prose. Out: the quantities they state, normalized to one form
//! each: plain numbers (`11000`, `23`, `2022`), and dates as `date:MM-DD` and
//! `month:MM` next to their year, so `2022年9月16日`, `September 16, 2022` and
//! `16 сентября 2022 г.` all say {2022, date:09-16}.

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
pub struct Quantity {
    /// The normalized value (`11000`, `date:09-16`, `month:09`).
    pub value: String,
    /// 1-based column in characters.
    pub column: usize,
    /// The text as written.
    pub written: String,
}

/// The quantities stated in one line of prose.
pub fn quantities(line: &str) -> Vec<Quantity> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit()
            || (i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '.'))
        {
            i += 1;
            continue;
        }
        let start = i;
        let (number, end) = read_number(&chars, i);
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

/// Every quantity of a line: numbers, dates, and months named with a year.
pub fn line_values(line: &str) -> Vec<Quantity> {
    let mut found = quantities(line);
    for value in month_values(line) {
        found.push(Quantity {
            value,
            column: 1,
            written: String::new(),
        });
    }
    found
}

/// Reads `11,000`, `11 000`, `1.1`, `2022`: returns the digits (with at most one `.`)
/// and where the number ends. A separator groups digits only after a first group
/// of one to three digits and before exactly three more (`14, 157` is two numbers).
fn read_number(chars: &[char], start: usize) -> (String, usize) {
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
        && matches!(chars.get(i), Some(',' | ' ' | '\u{a0}' | '\u{202f}'))
        && (1..=3).all(|k| is_digit(i + k))
        && !is_digit(i + 4)
    {
        digits.extend(&chars[i + 1..i + 4]);
        i += 4;
        grouped = true;
    }
    if !grouped && chars.get(i) == Some(&'.') && is_digit(i + 1) {
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
    let table: [(&str, f64); 12] = [
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
pub fn month_values(line: &str) -> BTreeSet<String> {
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
    fn percentages_and_words_with_digits_are_skipped() {
        assert_eq!(vals("grew 5% and HICOOL2021 and 5G"), Vec::<String>::new());
        assert_eq!(vals("the 35th session of the 15th congress"), ["35", "15"]);
    }
}
