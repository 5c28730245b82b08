//! The functions templates call: `t`, `plural_json`, `url`, `asset`, `format_date`,
//! `format_number`, `language_name`, and the pictures of [`super::graphics`]: `pictogram`,
//! `community_map`, `facility_chart`; `text_lang` and the filter `mark_han`.
//!
//! Each reads the reader's language from the render context (`lang`) unless a
//! `lang=` argument names another, so one set of templates serves every
//! language.

use std::collections::BTreeMap;
use std::sync::Arc;

use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use super::context::CommunityData;
use super::graphics;

use crate::i18n::I18n;
use crate::markdown::parse_content_path;

/// Page key → language → site path, for `url(path="@/…")`.
pub(crate) type UrlMap = BTreeMap<String, BTreeMap<String, String>>;

/// Shared data the template functions read.
#[derive(Debug, Clone)]
pub(crate) struct FunctionData {
    /// UI strings and CLDR formatters.
    pub i18n: Arc<I18n>,
    /// Every page's URL in every language.
    pub urls: Arc<UrlMap>,
    /// Theme asset name → fingerprinted site path.
    pub assets: Arc<BTreeMap<String, String>>,
    /// The theme's pictograms by name, as SVG text.
    pub pictograms: Arc<BTreeMap<String, String>>,
}

/// Registers every signpost function on `tera`.
pub(crate) fn register(tera: &mut Tera, data: &FunctionData) {
    register_strings(tera, data);
    register_links(tera, data);
    register_graphics(tera, data);
    register_scripts(tera);
}

/// Registers the functions of UI strings, plurals, dates, numbers and
/// language names: `t`, `plural_json`, `format_date`, `format_number`,
/// `language_name`.
fn register_strings(tera: &mut Tera, data: &FunctionData) {
    let i18n = data.i18n.clone();
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State<'_>| -> TeraResult<String> {
            let key: String = kwargs.must_get("key")?;
            let lang = language(&kwargs, state)?;
            let count = kwargs
                .get::<Value>("count")?
                .and_then(|v| v.as_f64().or_else(|| v.as_i64().map(|n| n as f64)));
            let mut args = Vec::new();
            for (name, value) in kwargs.iter() {
                let name = name.to_string();
                if !["key", "count", "lang"].contains(&name.as_str()) {
                    args.push((name, value_text(value)));
                }
            }
            Ok(i18n.t(&lang, &key, count, &args).unwrap_or(key))
        },
    );

    let i18n = data.i18n.clone();
    tera.register_function(
        "plural_json",
        move |kwargs: Kwargs, state: &State<'_>| -> TeraResult<String> {
            let key: String = kwargs.must_get("key")?;
            let lang = language(&kwargs, state)?;
            let forms = i18n.plural_forms(&lang, &key).unwrap_or_default();
            serde_json::to_string(&forms).map_err(|e| Error::message(e.to_string()))
        },
    );

    let i18n = data.i18n.clone();
    tera.register_function(
        "format_date",
        move |kwargs: Kwargs, state: &State<'_>| -> TeraResult<String> {
            let date: String = kwargs.must_get("date")?;
            let lang = language(&kwargs, state)?;
            match date.parse::<jiff::civil::Date>() {
                Ok(parsed) => Ok(i18n.format_date(&lang, parsed)),
                Err(_) => Ok(date),
            }
        },
    );

    let i18n = data.i18n.clone();
    tera.register_function(
        "format_number",
        move |kwargs: Kwargs, state: &State<'_>| -> TeraResult<String> {
            let value: Value = kwargs.must_get("n")?;
            let lang = language(&kwargs, state)?;
            let n = value
                .as_f64()
                .or_else(|| value.as_i64().map(|n| n as f64))
                .ok_or_else(|| Error::message("format_number(): `n` must be a number"))?;
            Ok(i18n.format_number(&lang, n))
        },
    );

    let i18n = data.i18n.clone();
    tera.register_function(
        "language_name",
        move |kwargs: Kwargs, state: &State<'_>| -> TeraResult<String> {
            let code: String = kwargs.must_get("code")?;
            let lang = language(&kwargs, state)?;
            Ok(i18n.language_name(&lang, &code))
        },
    );
}

/// Registers the functions that give site paths: `url` (a content path
/// `@/…` in the reader's or a named language) and `asset` (a theme file's
/// fingerprinted path).
fn register_links(tera: &mut Tera, data: &FunctionData) {
    let urls = data.urls.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, state: &State<'_>| -> TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            let lang = language(&kwargs, state)?;
            let Some((key, explicit, anchor)) = parse_content_path(&path) else {
                return Ok(path);
            };
            let lang = explicit.unwrap_or(lang);
            super::deps::note_url(&key);
            let url = urls
                .get(&key)
                .and_then(|by_lang| by_lang.get(&lang))
                .ok_or_else(|| Error::message(format!("url(): no page `{path}` in `{lang}`")))?;
            Ok(match anchor {
                Some(anchor) => format!("{url}#{anchor}"),
                None => url.clone(),
            })
        },
    );

    let assets = data.assets.clone();
    tera.register_function(
        "asset",
        move |kwargs: Kwargs, _: &State<'_>| -> TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            assets
                .get(path.trim_start_matches('/'))
                .cloned()
                .ok_or_else(|| {
                    Error::message(format!("asset(): the theme has no static file `{path}`"))
                })
        },
    );
}

/// Registers what marks text in another script than the page's: the function
/// `text_lang(text=…)` (the language a cited title or publisher is most likely
/// in, by its script) and the filter `mark_han` (escapes a text and puts each
/// Han run in a `<span lang>` on a page not written in Chinese, for headings and titles).
fn register_scripts(tera: &mut Tera) {
    tera.register_function(
        "text_lang",
        |kwargs: Kwargs, state: &State<'_>| -> TeraResult<String> {
            let text: String = kwargs.must_get("text")?;
            let lang = language(&kwargs, state)?;
            Ok(crate::i18n::convert::detect_lang(&text, &lang).to_string())
        },
    );
    tera.register_filter(
        "mark_han",
        |text: &str, kwargs: Kwargs, state: &State<'_>| -> TeraResult<Value> {
            let lang = language(&kwargs, state)?;
            Ok(if crate::markdown::writes_han(&lang) {
                Value::from(text)
            } else {
                Value::safe_string(&crate::markdown::mark_han(text))
            })
        },
    );
}

/// Registers the picture functions: `pictogram(kind=, class=)`,
/// `community_map(communities=)` and `facility_chart(totals=)`.
fn register_graphics(tera: &mut Tera, data: &FunctionData) {
    let pictograms = data.pictograms.clone();
    tera.register_function(
        "pictogram",
        move |kwargs: Kwargs, _: &State<'_>| -> TeraResult<Value> {
            let kind: String = kwargs.must_get("kind")?;
            let class = kwargs
                .get::<String>("class")?
                .unwrap_or_else(|| "pictogram".to_string());
            Ok(Value::safe_string(&graphics::pictogram(
                &pictograms,
                &kind,
                &class,
            )))
        },
    );

    let i18n = data.i18n.clone();
    tera.register_function(
        "community_map",
        move |kwargs: Kwargs, state: &State<'_>| -> TeraResult<Value> {
            let communities: Vec<CommunityData> = data_arg(
                &kwargs,
                "community_map",
                "communities",
                "the list of communities",
            )?;
            let lang = language(&kwargs, state)?;
            Ok(Value::safe_string(&graphics::community_map(
                &i18n,
                &lang,
                &communities,
            )))
        },
    );

    let i18n = data.i18n.clone();
    let pictograms = data.pictograms.clone();
    tera.register_function(
        "facility_chart",
        move |kwargs: Kwargs, state: &State<'_>| -> TeraResult<Value> {
            let totals: Vec<graphics::Total> = data_arg(
                &kwargs,
                "facility_chart",
                "totals",
                "a list of {kind, count}",
            )?;
            let lang = language(&kwargs, state)?;
            Ok(Value::safe_string(&graphics::facility_chart(
                &i18n,
                &lang,
                &pictograms,
                &totals,
            )))
        },
    );
}

/// Reads the structured argument `name` of `function` as `T`; a clear error
/// saying what it must be otherwise.
fn data_arg<T: serde::de::DeserializeOwned>(
    kwargs: &Kwargs,
    function: &str,
    name: &str,
    expected: &str,
) -> TeraResult<T> {
    let value: Value = kwargs.must_get(name)?;
    T::deserialize(&value)
        .map_err(|e| Error::message(format!("{function}(): `{name}` must be {expected}: {e}")))
}

/// The `lang=` argument, or the context's `lang`.
fn language(kwargs: &Kwargs, state: &State<'_>) -> TeraResult<String> {
    if let Some(lang) = kwargs.get::<String>("lang")? {
        return Ok(lang);
    }
    state
        .get::<String>("lang")?
        .ok_or_else(|| Error::message("no `lang` in the template context"))
}

fn value_text(value: &Value) -> String {
    match value.as_str() {
        Some(s) => s.to_string(),
        None => value.to_string(),
    }
}
