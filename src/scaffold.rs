//! `signpost new community|policy|facility SLUG`: a new page's files, in every language.
//!
//! In: the kind and slug. Out: files under `content/`, ready to fill in; the
//! default-language file holds the shared keys, translations only title and
//! summary. Existing files are never overwritten.

use std::path::Path;

use clap::ValueEnum;

use crate::config::Config;

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
    let config = Config::load(root).map_err(|errors| {
        errors
            .into_iter()
            .map(|d| format!("{}: {}", d.file, d.message))
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    let files: Vec<(String, String)> = match kind {
        Kind::Facility => vec![(
            format!("content/facilities/{slug}.yaml"),
            facility_file(&config),
        )],
        Kind::Community | Kind::Policy => {
            let section = if kind == Kind::Community {
                "communities"
            } else {
                "policies"
            };
            config
                .codes()
                .map(|lang| {
                    let suffix = lang;
                    (
                        format!("content/{section}/{slug}.{suffix}.md"),
                        page_file(&config, kind, lang),
                    )
                })
                .collect()
        }
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

fn page_file(config: &Config, kind: Kind, lang: &str) -> String {
    let mut text = String::from(
        "---\ntitle: \"TODO\"\nsummary: \"TODO: one line for lists, search and feeds\"\n",
    );
    if lang == config.default_language {
        text.push_str("weight: 100\n");
        if kind == Kind::Policy {
            text.push_str("date: 2000-01-01   # TODO: the policy's date\ncommunities: []   # slugs of the communities it concerns\n");
        }
        text.push_str("scenarios: []     # livable, neighborhood, education-culture, innovation, health, transport, low-carbon, services, governance\n");
        text.push_str(
            "sources:\n  - title: \"TODO\"\n    publisher: \"TODO\"\n    date: \"2000-01-01\"\n",
        );
        if kind == Kind::Community {
            text.push_str("extra:\n  joined: 2000     # TODO: the year it joined\n");
        }
    }
    text.push_str("---\n\nTODO: write the page.\n");
    text
}

fn facility_file(config: &Config) -> String {
    let localized = |placeholder: &str| -> String {
        let pairs: Vec<String> = config
            .codes()
            .map(|c| format!("{c}: \"{placeholder}\""))
            .collect();
        format!("{{{}}}", pairs.join(", "))
    };
    format!(
        "kind: other              # apartment | school | hospital | service-station | street | building | platform | other\n\
         community: TODO          # a slug of content/communities/\n\
         name: {}\n\
         summary: {}\n\
         description: {}\n\
         scenarios: []\n\
         sources:\n  - title: \"TODO\"\n    publisher: \"TODO\"\n    date: \"2000-01-01\"\n",
        localized("TODO"),
        localized("TODO: one line"),
        localized("TODO: Markdown text"),
    )
}
