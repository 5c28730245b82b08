//! `signpost new community|policy|facility SLUG`: a new page's files, in every language.
//!
//! In: the kind and slug. Out: files under `content/`, ready to fill in, made
//! from the theme's archetypes (`archetypes/community.md`, `policy.md`,
//! `facility.yaml`; a site's own `archetypes/` folder overrides them). They are
//! Tera templates with `slug`, `lang`, `is_default`, `default_language` and
//! `languages` (the languages written by hand: a language that `derive` fills
//! gets no file); Markdown archetypes are rendered once per such language.
//! The files are drafts whose `TODO` placeholders `check` reports (an error,
//! see [`crate::content::placeholder`]) until they are replaced. Existing
//! files are never overwritten.

use std::path::Path;

use clap::ValueEnum;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::theme::Theme;

/// What `signpost new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// A page in content/communities/.
    Community,
    /// A page in content/policies/.
    Policy,
    /// A facility file in content/facilities/.
    Facility,
}

/// Writes the new files and returns their paths relative to `root`.
pub fn scaffold(root: &Path, kind: Kind, slug: &str) -> Result<Vec<String>, String> {
    if slug.is_empty()
        || !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(format!(
            "`{slug}` is not a valid slug: use a-z, 0-9 and `-` (try `{}`)",
            crate::content::slugify(slug)
        ));
    }
    let config = Config::load(root).map_err(messages)?;
    let theme = Theme::load(root, &config.theme).map_err(messages)?;
    let (archetype, section) = match kind {
        Kind::Community => ("community.md", config.domain.communities_section.as_str()),
        Kind::Policy => ("policy.md", "policies"),
        Kind::Facility => ("facility.yaml", "facilities"),
    };
    let source = theme
        .archetypes
        .get(archetype)
        .ok_or_else(|| format!("the theme has no archetypes/{archetype}"))?;
    // A language that `derive` fills gets no file (and no fields): it is converted.
    let languages: Vec<&str> = config
        .codes()
        .filter(|code| !config.derive.contains_key(*code))
        .collect();
    let render = |lang: &str| -> Result<String, String> {
        let mut context = tera::Context::new();
        context.insert("slug", slug);
        context.insert("lang", lang);
        context.insert("is_default", &(lang == config.default_language));
        context.insert("default_language", &config.default_language);
        context.insert("languages", &languages);
        tera::Tera::one_off(&source.text, &context, false)
            .map_err(|e| format!("{}: {e}", source.origin))
    };
    let files: Vec<(String, String)> = if kind == Kind::Facility {
        vec![(
            format!("content/{section}/{slug}.yaml"),
            render(&config.default_language)?,
        )]
    } else {
        languages
            .iter()
            .map(|lang| Ok((format!("content/{section}/{slug}.{lang}.md"), render(lang)?)))
            .collect::<Result<_, String>>()?
    };
    if let Some((existing, _)) = files.iter().find(|(path, _)| root.join(path).exists()) {
        return Err(format!("{existing} already exists; nothing was written"));
    }
    let mut written = Vec::new();
    for (path, text) in files {
        let target = root.join(&path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&target, text).map_err(|e| format!("cannot write {path}: {e}"))?;
        written.push(path);
    }
    Ok(written)
}

fn messages(errors: Vec<Diagnostic>) -> String {
    errors
        .into_iter()
        .map(|d| format!("{}: {}", d.file, d.message))
        .collect::<Vec<_>>()
        .join("\n")
}
