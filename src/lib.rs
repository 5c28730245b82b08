//! signpost: a static-site generator for multilingual community guides.
//!
//! The pipeline, in dependency order (each module's `//!` says what goes in,
//! what comes out and the steps):
//!
//! diagnostics → source → yaml → language → config → i18n → theme → content → markdown →
//! render → search → {check, output} → build → serve → scaffold → cli
//!
//! - [`source`] reads every editor-written file with guards (size, UTF-8, NUL,
//!   BOM) and classifies hidden characters; [`yaml`] parses within budgets.
//! - [`config`] reads `site.yaml`; [`theme`] layers the built-in theme, a theme
//!   on disk and the site's `templates/`; [`i18n`] loads UI strings with CLDR
//!   plurals, dates and numbers, and converts Simplified ↔ Traditional Chinese.
//! - [`content`] loads every page and facility into an immutable [`content::Site`]:
//!   every page has a version in every language (written, derived or fallback).
//! - [`markdown`] renders bodies with stable anchors and resolves `@/` links;
//!   [`render`] fills the Tera templates and draws the theme's SVG pictures;
//!   [`output`] minifies, adds feeds, the sitemap and the offline files, and
//!   publishes atomically; [`search`] writes the sharded index and
//!   its ES module; [`mod@check`] holds the site-wide checks.
//! - [`mod@build`] runs it all; [`serve`] rebuilds on change and serves the result.
//! - [`fuzzing`] holds the entry points of the fuzz targets in `fuzz/`.

#![forbid(unsafe_code)]

pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fuzzing;
pub mod i18n;
pub mod language;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source;
pub mod theme;
pub mod yaml;

pub use build::{BuildOptions, BuildReport, build, check};
pub use diagnostics::{Diagnostic, Severity};
