//! Pictures made at build time: pictograms, the communities' overview map and
//! charts of facility totals, as inline SVG in the page's language.
//!
//! In: the theme's pictograms, the communities of the reader's language
//! ([`CommunityData`]) and totals from a page's `extra`. Out: HTML with inline
//! SVG that needs no script and no inline style (colours come from classes,
//! so the theme's CSS sets them, dark mode included, under a strict
//! Content-Security-Policy). Every text is escaped here, where it lands.
//!
//! The map is drawn like a transit line: one line per year of joining, one
//! stop per community in its colour, each stop a link with the community's
//! name and, for readers of another language, its sign label. The chart is a
//! pictogram chart: one row per facility kind, one symbol per unit.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use super::context::CommunityData;
use crate::i18n::I18n;

/// Escapes text for SVG (XML).
fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}

/// Width of the map's coordinate system; the SVG scales to its box.
const MAP_WIDTH: usize = 320;
/// Where the stop circles sit, from the left.
const STOP_X: usize = 24;
/// Where labels start, from the left.
const LABEL_X: usize = 48;
/// Title text size, in map units.
const TITLE_SIZE: usize = 17;
/// Sign label text size, in map units.
const SIGN_SIZE: usize = 14;
/// Room between one stop's name and the next stop's, in map units.
const SLOT_GAP: usize = 22;
/// The least height of a stop's link, in map units: the map is 320 units
/// wide, so 56 units stay 44 px tall on a map drawn 252 px wide or wider (a
/// phone of 320 px leaves it 288).
const MIN_SLOT: usize = 56;
/// Symbols per line in a chart row.
const SYMBOLS_PER_LINE: usize = 10;
/// Most symbols a chart row shows; larger counts get a larger unit.
const MOST_SYMBOLS: f64 = 25.0;

/// A pictogram as inline SVG with `class`, hidden from assistive technology
/// (the text beside it says the same). Unknown names fall back to `other`;
/// a theme without either gets nothing.
pub(crate) fn pictogram(pictograms: &BTreeMap<String, String>, name: &str, class: &str) -> String {
    let Some(svg) = pictograms.get(name).or_else(|| pictograms.get("other")) else {
        return String::new();
    };
    match svg.strip_prefix("<svg") {
        Some(rest) => format!(
            "<svg class=\"{}\" aria-hidden=\"true\" focusable=\"false\"{rest}",
            escape(class)
        ),
        None => String::new(),
    }
}

/// The overview map: one figure per year of joining, in year order
/// (communities without a year come last, under `map.other`).
pub(crate) fn community_map(i18n: &I18n, lang: &str, communities: &[CommunityData]) -> String {
    let mut groups: BTreeMap<Option<i64>, Vec<&CommunityData>> = BTreeMap::new();
    for community in communities {
        groups.entry(community.joined).or_default().push(community);
    }
    // Years first, in order; communities with no year after them.
    let mut ordered: Vec<(Option<i64>, Vec<&CommunityData>)> = groups.into_iter().collect();
    let undated = usize::from(ordered.first().is_some_and(|(year, _)| year.is_none()));
    ordered.rotate_left(undated);
    let mut html = String::from("<div class=\"community-map\">");
    for (year, members) in &ordered {
        let count = members.len() as f64;
        let caption = match year {
            Some(year) => i18n.t(
                lang,
                "map.joined",
                Some(count),
                &[("year".to_string(), year.to_string())],
            ),
            None => i18n.t(lang, "map.other", Some(count), &[]),
        }
        .unwrap_or_default();
        let id = match year {
            Some(year) => format!("map-{year}"),
            None => "map-other".to_string(),
        };
        let _ = write!(
            html,
            "<figure class=\"map-group\"><figcaption id=\"{id}\">{}</figcaption>{}</figure>",
            escape(&caption),
            map_line(&id, members)
        );
    }
    html.push_str("</div>");
    html
}

/// One line of the map: a vertical line with a stop per community. Each stop
/// is one link over a slot the width of the map and at least [`MIN_SLOT`]
/// tall (an invisible rectangle that takes the pointer), its circle and name
/// centred in it: a finger anywhere on the row, between the circle and the
/// name too, finds the community.
fn map_line(labelled_by: &str, members: &[&CommunityData]) -> String {
    // Letters per line: a bold Latin or Cyrillic letter is about 0.72 em wide
    // in the widest fallback font (DejaVu Sans Bold), a Chinese character 1 em.
    let title_chars = (MAP_WIDTH - LABEL_X - 8) * 100 / (TITLE_SIZE * 72);
    let mut stops = String::new();
    // The top of the next slot.
    let mut top = SLOT_GAP / 2;
    let mut first_stop = None;
    let mut last_stop = 0;
    for community in members {
        let lines = wrap(&community.title, title_chars);
        // From the top of the name to the last baseline, then room below.
        let mut content = TITLE_SIZE + (lines.len().max(1) - 1) * (TITLE_SIZE + 4);
        if community.sign_label.is_some() {
            content += SIGN_SIZE + 6;
        }
        let slot = (content + SLOT_GAP).max(MIN_SLOT);
        let y = top + (slot - content - SLOT_GAP) / 2 + SLOT_GAP / 2;
        let stop_y = y + TITLE_SIZE / 2 + 4;
        first_stop.get_or_insert(stop_y);
        last_stop = stop_y;
        let _ = write!(
            stops,
            "<a href=\"{}\"><rect class=\"map-slot\" x=\"0\" y=\"{top}\" width=\"{MAP_WIDTH}\" height=\"{slot}\" fill=\"none\" pointer-events=\"all\"/>\
             <circle class=\"map-stop community-{}\" cx=\"{STOP_X}\" cy=\"{stop_y}\" r=\"11\"/>",
            escape(&community.url),
            community.colour
        );
        let mut text_y = y + TITLE_SIZE;
        let _ = write!(
            stops,
            "<text class=\"map-name\" x=\"{LABEL_X}\" y=\"{text_y}\" lang=\"{}\">",
            escape(&community.title_lang)
        );
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                text_y += TITLE_SIZE + 4;
            }
            let _ = write!(
                stops,
                "<tspan x=\"{LABEL_X}\" y=\"{text_y}\">{}</tspan>",
                escape(line)
            );
        }
        stops.push_str("</text>");
        if let Some(sign) = &community.sign_label {
            text_y += SIGN_SIZE + 6;
            let _ = write!(
                stops,
                "<text class=\"map-sign\" x=\"{LABEL_X}\" y=\"{text_y}\" lang=\"{}\">{}</text>",
                escape(&community.sign_lang),
                escape(sign)
            );
        }
        stops.push_str("</a>");
        top += slot;
    }
    let height = (top + SLOT_GAP / 2).max(48);
    let first = first_stop.unwrap_or(0);
    format!(
        "<svg class=\"map-svg\" viewBox=\"0 0 {MAP_WIDTH} {height}\" aria-labelledby=\"{labelled_by}\">\
         <line class=\"map-line\" x1=\"{STOP_X}\" y1=\"{first}\" x2=\"{STOP_X}\" y2=\"{last_stop}\"/>{stops}</svg>"
    )
}

/// Splits `text` into lines of at most about `width` Latin letters, where a
/// Chinese character counts as two; breaks at spaces, or anywhere in CJK.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let cost = |c: char| if c as u32 >= 0x2E80 { 2 } else { 1 };
    let limit = width.max(4);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_inclusive(' ') {
        let word_cost: usize = word.trim_end().chars().map(cost).sum();
        if used > 0 && used + word_cost > limit {
            lines.push(line.trim_end().to_string());
            line.clear();
            used = 0;
        }
        for c in word.chars() {
            // Chinese breaks anywhere; a Latin word longer than a line stays whole.
            if used + cost(c) > limit && cost(c) == 2 {
                lines.push(line.trim_end().to_string());
                line.clear();
                used = 0;
            }
            line.push(c);
            used += cost(c);
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// One total for the chart: a facility kind and how many there are.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Total {
    /// Facility kind (`school`), which picks the pictogram and the label.
    pub kind: String,
    /// How many.
    pub count: f64,
}

/// A pictogram chart of `totals`: a row per kind with its number and label,
/// and symbols standing for one unit each (1, 10, 100, … so no row has more
/// than 25).
pub(crate) fn facility_chart(
    i18n: &I18n,
    lang: &str,
    pictograms: &BTreeMap<String, String>,
    totals: &[Total],
) -> String {
    let mut html = String::from("<ul class=\"chart\">");
    for total in totals {
        if !(total.count.is_finite() && total.count >= 0.0) {
            continue;
        }
        let unit = unit_for(total.count);
        let symbols = (total.count / unit).round() as usize;
        let key = format!("chart.count.{}", total.kind);
        // "23 schools": the kind's plural forms, or those of `other`.
        let counted = |n: f64| {
            i18n.t(lang, &key, Some(n), &[])
                .or_else(|| i18n.t(lang, "chart.count.other", Some(n), &[]))
                .unwrap_or_default()
        };
        let label = counted(total.count);
        let _ = write!(
            html,
            "<li class=\"chart-row kind-{kind}\"><p class=\"chart-label\">{icon}<span>{label}</span></p>{symbols}",
            kind = escape(&total.kind),
            icon = pictogram(pictograms, &total.kind, "pictogram"),
            label = escape(&label),
            symbols = symbol_row(pictograms, &total.kind, symbols),
        );
        if unit > 1.0 {
            let note = i18n
                .t(
                    lang,
                    "chart.each",
                    None,
                    &[("what".to_string(), counted(unit))],
                )
                .unwrap_or_default();
            let _ = write!(html, "<p class=\"chart-unit\">{}</p>", escape(&note));
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    html
}

/// The smallest power of ten that keeps a row at 25 symbols or fewer.
fn unit_for(count: f64) -> f64 {
    let mut unit = 1.0;
    while count / unit > MOST_SYMBOLS {
        unit *= 10.0;
    }
    unit
}

/// `count` copies of a pictogram, ten to a line, as one SVG hidden from
/// assistive technology (the label says the number).
fn symbol_row(pictograms: &BTreeMap<String, String>, kind: &str, count: usize) -> String {
    let inner = pictograms
        .get(kind)
        .or_else(|| pictograms.get("other"))
        .and_then(|svg| {
            let body_start = svg.find('>')? + 1;
            let body_end = svg.rfind("</svg>")?;
            Some(&svg[body_start..body_end.max(body_start)])
        })
        .unwrap_or("");
    let lines = count.div_ceil(SYMBOLS_PER_LINE).max(1);
    let width = SYMBOLS_PER_LINE * 52;
    let height = lines * 52;
    let mut svg = format!(
        "<svg class=\"chart-symbols\" viewBox=\"0 0 {width} {height}\" aria-hidden=\"true\" focusable=\"false\">"
    );
    for i in 0..count {
        let x = (i % SYMBOLS_PER_LINE) * 52;
        let y = (i / SYMBOLS_PER_LINE) * 52;
        let _ = write!(
            svg,
            "<svg x=\"{x}\" y=\"{y}\" width=\"48\" height=\"48\" viewBox=\"0 0 48 48\">{inner}</svg>"
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_latin_at_spaces_and_cjk_anywhere() {
        assert_eq!(
            wrap("Economic-Technological Development Area", 20),
            vec!["Economic-Technological", "Development Area"]
        );
        assert_eq!(wrap("望京", 20), vec!["望京"]);
        assert_eq!(wrap("一二三四五六", 6), vec!["一二三", "四五六"]);
    }

    fn community(title: &str, sign_label: Option<&str>) -> CommunityData {
        CommunityData {
            slug: "c".to_string(),
            title: title.to_string(),
            title_lang: "en".to_string(),
            sign_label: sign_label.map(str::to_string),
            sign_lang: "zh-Hans".to_string(),
            url: "/en/communities/c/".to_string(),
            colour: 1,
            joined: None,
        }
    }

    /// The `(y, height)` of every stop's slot in a drawn map line.
    fn slots(svg: &str) -> Vec<(usize, usize)> {
        svg.split("<rect class=\"map-slot\"")
            .skip(1)
            .map(|rest| {
                let attr = |name: &str| -> usize {
                    let start = rest.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
                    rest[start..].split('"').next().unwrap().parse().unwrap()
                };
                (attr("y"), attr("height"))
            })
            .collect()
    }

    #[test]
    fn every_stop_is_one_link_at_least_a_finger_tall() {
        // A one-line Chinese name (the shortest stop), a long name with a sign label.
        let short = community("望京", None);
        let long = community(
            "Economic-Technological Development Area International Talent Community",
            Some("经开区"),
        );
        let svg = map_line("map-2021", &[&short, &long, &short]);
        let slots = slots(&svg);
        assert_eq!(slots.len(), 3);
        assert_eq!(svg.matches("<a href=").count(), 3);
        for (i, &(y, height)) in slots.iter().enumerate() {
            assert!(height >= MIN_SLOT, "slot {i} is {height} units tall");
            if let Some(&(next, _)) = slots.get(i + 1) {
                assert_eq!(y + height, next, "slot {i} ends where the next begins");
            }
        }
        assert!(slots[1].1 > MIN_SLOT, "a long name makes its slot taller");
    }

    #[test]
    fn units_keep_rows_short() {
        assert_eq!(unit_for(23.0), 1.0);
        assert_eq!(unit_for(25.0), 1.0);
        assert_eq!(unit_for(26.0), 10.0);
        assert_eq!(unit_for(11000.0), 1000.0);
        assert_eq!(unit_for(0.0), 1.0);
    }

    #[test]
    fn pictograms_get_a_class_and_are_hidden() {
        let mut set = BTreeMap::new();
        set.insert(
            "other".to_string(),
            "<svg viewBox=\"0 0 48 48\"><circle r=\"4\"/></svg>".to_string(),
        );
        let svg = pictogram(&set, "school", "pictogram \"x\"");
        assert!(svg.starts_with(
            "<svg class=\"pictogram &quot;x&quot;\" aria-hidden=\"true\" focusable=\"false\" viewBox"
        ));
        assert_eq!(pictogram(&BTreeMap::new(), "school", "p"), "");
    }
}
