//! The sitemap (with hreflang alternates) and one Atom feed per language.
//!
//! In: the site model. Out: XML text. Fallback versions are left out of both:
//! they carry `noindex` and their text belongs to another language's page.

use crate::content::{Site, Status, feed_order, in_feed};
use crate::output::xml_escape;

/// `/sitemap.xml`: every page with its own text, with `xhtml:link` alternates and `x-default`.
pub(crate) fn sitemap(site: &Site) -> String {
    let config = &site.config;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for page in site.pages.values() {
        let own: Vec<_> = config
            .codes()
            .filter_map(|code| page.version(code))
            .filter(|v| v.status != Status::Fallback)
            .collect();
        let x_default = page
            .version(&config.default_language)
            .filter(|v| v.status != Status::Fallback)
            .or_else(|| own.first().copied());
        for version in &own {
            out.push_str("  <url>\n");
            out.push_str(&format!(
                "    <loc>{}</loc>\n",
                xml_escape(&config.permalink(&version.url))
            ));
            if let Some(date) = version.meta.updated.or(version.meta.date) {
                out.push_str(&format!("    <lastmod>{date}</lastmod>\n"));
            }
            for alternate in &own {
                out.push_str(&alternate_link(
                    &alternate.lang,
                    &config.permalink(&alternate.url),
                ));
            }
            if let Some(default) = x_default {
                out.push_str(&alternate_link(
                    "x-default",
                    &config.permalink(&default.url),
                ));
            }
            out.push_str("  </url>\n");
        }
    }
    for scenario in &config.domain.scenarios {
        let urls: Vec<(String, String)> = config
            .languages
            .iter()
            .map(|l| {
                (
                    l.code.clone(),
                    config.permalink(&format!("/{}/scenarios/{scenario}/", l.prefix)),
                )
            })
            .collect();
        let default = config.permalink(&format!(
            "/{}/scenarios/{scenario}/",
            config.prefix(&config.default_language)
        ));
        for (_, url) in &urls {
            out.push_str(&format!("  <url>\n    <loc>{}</loc>\n", xml_escape(url)));
            for (code, alternate) in &urls {
                out.push_str(&alternate_link(code, alternate));
            }
            out.push_str(&alternate_link("x-default", &default));
            out.push_str("  </url>\n");
        }
    }
    out.push_str("</urlset>\n");
    out
}

fn alternate_link(hreflang: &str, href: &str) -> String {
    format!(
        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
        xml_escape(hreflang),
        xml_escape(href)
    )
}

/// `/<code>/feed.xml`: the language's dated pages, newest first.
pub(crate) fn atom(site: &Site, lang: &str, title: &str) -> String {
    let config = &site.config;
    let prefix = config.prefix(lang);
    let home = config.permalink(&format!("/{prefix}/"));
    let self_url = config.permalink(&format!("/{prefix}/feed.xml"));
    let mut entries: Vec<_> = site
        .pages
        .values()
        .filter_map(|p| Some((p.kind, p.version(lang)?)))
        .filter(|(kind, v)| in_feed(*kind, v.status))
        .filter_map(|(_, v)| Some((v.meta.date?, v.url.as_str(), v)))
        .collect();
    feed_order(&mut entries);
    let entries: Vec<_> = entries.into_iter().map(|(date, _, v)| (date, v)).collect();
    let newest = entries
        .iter()
        .map(|(date, v)| v.meta.updated.unwrap_or(*date))
        .max()
        .map_or_else(|| "1970-01-01".to_string(), |d| d.to_string());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(lang)
    ));
    out.push_str(&format!("  <title>{}</title>\n", xml_escape(title)));
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&self_url)
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&home)
    ));
    out.push_str(&format!("  <id>{}</id>\n", xml_escape(&home)));
    out.push_str(&format!("  <updated>{newest}T00:00:00Z</updated>\n"));
    for (date, version) in entries {
        let url = config.permalink(&version.url);
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <title>{}</title>\n",
            xml_escape(&version.title)
        ));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&url)
        ));
        out.push_str(&format!("    <id>{}</id>\n", xml_escape(&url)));
        out.push_str(&format!("    <published>{date}T00:00:00Z</published>\n"));
        out.push_str(&format!(
            "    <updated>{}T00:00:00Z</updated>\n",
            version.meta.updated.unwrap_or(date)
        ));
        if let Some(summary) = &version.summary {
            out.push_str(&format!("    <summary>{}</summary>\n", xml_escape(summary)));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
