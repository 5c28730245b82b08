//! Themes: templates, static files and default UI strings, in layers.
//!
//! In: the theme name from `site.yaml`. Out: a [`Theme`] holding every
//! template, static file, pictogram and UI strings file, and the theme's
//! `theme.yaml` settings, after layering:
//! built-in `signage` (compiled into the binary) < `themes/<name>/` on disk <
//! the site's own `templates/` and `archetypes/`. A file in a higher layer replaces the file of
//! the same name below it.

use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic, Position, display_path};
use crate::i18n::UiSource;

/// The name of the theme compiled into signpost.
pub(crate) const BUILTIN_THEME: &str = "signage";

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../themes/signage/", $path)) as &[u8])),*]
    };
}

/// The files of the built-in theme, relative to `themes/signage/`.
const BUILTIN_FILES: &[(&str, &[u8])] = embed![
    "templates/base.html",
    "templates/index.html",
    "templates/section.html",
    "templates/page.html",
    "templates/communities/page.html",
    "templates/communities/section.html",
    "templates/facility.html",
    "templates/scenario.html",
    "templates/scenarios.html",
    "templates/search.html",
    "templates/feed.html",
    "templates/status.html",
    "templates/chooser.html",
    "templates/404.html",
    "templates/alias.html",
    "templates/partials/page_list.html",
    "templates/partials/sources.html",
    "templates/partials/fallback_notice.html",
    "templates/partials/page_header.html",
    "templates/partials/tags.html",
    "templates/partials/as_of.html",
    "archetypes/community.md",
    "archetypes/policy.md",
    "archetypes/facility.yaml",
    "static/signage.css",
    "static/signage.js",
    "static/favicon.svg",
    "static/search-page.js",
    "i18n/zh-Hans.yaml",
    "i18n/zh-Hant.yaml",
    "i18n/en.yaml",
    "i18n/ru.yaml",
    "pictograms/apartment.svg",
    "pictograms/school.svg",
    "pictograms/hospital.svg",
    "pictograms/service-station.svg",
    "pictograms/street.svg",
    "pictograms/building.svg",
    "pictograms/platform.svg",
    "pictograms/other.svg",
    "theme.yaml",
];

/// The theme's own settings, from `theme.yaml`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ThemeSettings {
    /// The theme's name.
    #[expect(
        dead_code,
        reason = "read so that theme.yaml may name its theme; nothing shows it yet"
    )]
    pub name: String,
    /// What the theme is for.
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "read so that theme.yaml may describe its theme; nothing shows it yet"
    )]
    pub description: String,
    /// How many community colours the theme's CSS defines (`.community-1` …
    /// `.community-N`); communities take them in list order, round and round.
    #[serde(default = "default_community_colours")]
    pub community_colours: usize,
}

fn default_community_colours() -> usize {
    8
}

impl Default for ThemeSettings {
    fn default() -> Self {
        ThemeSettings {
            name: BUILTIN_THEME.to_string(),
            description: String::new(),
            community_colours: default_community_colours(),
        }
    }
}

/// A template's text and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct TemplateSource {
    /// Where the template was read from, for messages.
    pub origin: String,
    /// The template text.
    pub text: String,
}

/// Every file of the theme after layering.
#[derive(Debug, Clone, Default)]
pub(crate) struct Theme {
    /// Template name (`page.html`, `communities/page.html`) → source.
    pub templates: BTreeMap<String, TemplateSource>,
    /// Static file path (relative to the output root) → bytes.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Default UI strings, one file per language.
    pub ui_strings: Vec<UiSource>,
    /// Archetypes for `signpost new`, by file name (`community.md`).
    pub archetypes: BTreeMap<String, TemplateSource>,
    /// Pictograms by name (`school`), as SVG text, from `pictograms/<name>.svg`.
    pub pictograms: BTreeMap<String, String>,
    /// Settings from `theme.yaml`.
    pub settings: ThemeSettings,
    /// Where `theme.yaml` was read from, with its text, until it is parsed.
    settings_source: Option<(String, String)>,
}

impl Theme {
    /// Loads the theme `name` for the site in `root`, with the site's `templates/` on top.
    pub(crate) fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::default();
        let disk = root.join("themes").join(name);
        if name == BUILTIN_THEME {
            for (path, bytes) in BUILTIN_FILES {
                theme.add(path, &format!("(built-in theme) {path}"), bytes.to_vec());
            }
        } else if !disk.is_dir() {
            return Err(vec![
                Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    Position::FILE,
                    Code::ConfigUnknownTheme,
                    format!("theme `{name}` not found: there is no folder themes/{name}/"),
                )
                .with_hint(format!(
                    "create themes/{name}/templates/, or use the built-in theme `{BUILTIN_THEME}`"
                )),
            ]);
        }
        let mut errors = Vec::new();
        if disk.is_dir() {
            read_layer(root, &disk, "", &mut theme, &mut errors);
        }
        for (folder, prefix) in [("templates", "templates/"), ("archetypes", "archetypes/")] {
            let site_folder = root.join(folder);
            if site_folder.is_dir() {
                read_layer(root, &site_folder, prefix, &mut theme, &mut errors);
            }
        }
        if let Some((origin, text)) = theme.settings_source.take() {
            match crate::yaml::parse_typed::<ThemeSettings>(&origin, &text) {
                Ok(settings) if settings.community_colours == 0 => errors.push(
                    Diagnostic::error(
                        origin,
                        Position::FILE,
                        Code::ThemeSettings,
                        "`community_colours` must be at least 1",
                    )
                    .with_hint(
                        "give the number of `.community-N` colour classes the theme's CSS defines",
                    ),
                ),
                Ok(settings) => theme.settings = settings,
                Err(error) => errors.push(error),
            }
        }
        if errors.is_empty() {
            Ok(theme)
        } else {
            Err(errors)
        }
    }

    fn add(&mut self, path: &str, origin: &str, bytes: Vec<u8>) {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            self.templates.insert(
                name.to_string(),
                TemplateSource {
                    origin: origin.to_string(),
                    text,
                },
            );
        } else if let Some(name) = path.strip_prefix("archetypes/") {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            self.archetypes.insert(
                name.to_string(),
                TemplateSource {
                    origin: origin.to_string(),
                    text,
                },
            );
        } else if let Some(name) = path
            .strip_prefix("pictograms/")
            .and_then(|file| file.strip_suffix(".svg"))
        {
            let text = String::from_utf8_lossy(&bytes).trim().to_string();
            self.pictograms.insert(name.to_string(), text);
        } else if path == "theme.yaml" {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            self.settings_source = Some((origin.to_string(), text));
        } else if let Some(name) = path.strip_prefix("static/") {
            self.static_files.insert(name.to_string(), bytes);
        } else if let Some(file) = path.strip_prefix("i18n/")
            && let Some(lang) = file.strip_suffix(".yaml")
        {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            self.ui_strings.retain(|s| s.lang != lang);
            self.ui_strings.push(UiSource {
                lang: lang.to_string(),
                file: origin.to_string(),
                text,
            });
        }
    }
}

/// Reads every file under `dir` into the theme; `prefix` is put before each relative path.
fn read_layer(
    root: &Path,
    dir: &Path,
    prefix: &str,
    theme: &mut Theme,
    errors: &mut Vec<Diagnostic>,
) {
    for entry in WalkDir::new(dir).sort_by_file_name().into_iter() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let file = error
                    .path()
                    .map_or_else(|| display_path(root, dir), |p| display_path(root, p));
                errors.push(Diagnostic::error(
                    file,
                    Position::FILE,
                    Code::ThemeUnreadable,
                    format!("cannot read the theme: {error}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() || crate::source::is_hidden(entry.path()) {
            continue;
        }
        let relative = display_path(dir, entry.path());
        match std::fs::read(entry.path()) {
            Ok(bytes) => theme.add(
                &format!("{prefix}{relative}"),
                &display_path(root, entry.path()),
                bytes,
            ),
            Err(error) => errors.push(Diagnostic::error(
                display_path(root, entry.path()),
                Position::FILE,
                Code::ThemeUnreadable,
                format!("cannot read: {error}"),
            )),
        }
    }
}
