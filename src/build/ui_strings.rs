//! The site's own UI strings: `i18n/<code>.yaml`, read with the same guards
//! as every editor-written file.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Position, display_path};
use crate::i18n::UiSource;

/// The site's own `i18n/<code>.yaml` files.
pub(super) fn site_ui_strings(
    root: &Path,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<UiSource> {
    let dir = root.join("i18n");
    let mut sources = Vec::new();
    let unreadable = |error: std::io::Error| {
        Diagnostic::error(
            "i18n",
            Position::FILE,
            Code::I18nUnreadable,
            format!("cannot read the folder: {error}"),
        )
        .with_hint("check its permissions: the site's UI strings would be missing")
    };
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return sources,
        Err(error) => {
            diagnostics.push(unreadable(error));
            return sources;
        }
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => paths.push(entry.path()),
            Err(error) => diagnostics.push(unreadable(error)),
        }
    }
    paths.sort();
    for path in paths {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(code) = name
            .strip_suffix(".yaml")
            .or_else(|| name.strip_suffix(".yml"))
        else {
            continue;
        };
        let display = display_path(root, &path);
        if !config.has_language(code) {
            diagnostics.push(
                Diagnostic::error(
                    &display,
                    Position::FILE,
                    Code::I18nUnknownLanguage,
                    format!("`{code}` is not one of the site's languages"),
                )
                .with_hint(
                    "name UI string files after a code in `languages`, e.g. i18n/zh-Hans.yaml",
                ),
            );
            continue;
        }
        match crate::source::read_text(&path, &display, crate::diagnostics::Area::I18n) {
            Ok(text) => sources.push(UiSource {
                lang: code.to_string(),
                file: display,
                text,
            }),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    sources
}
