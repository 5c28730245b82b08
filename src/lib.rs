//! signpost: a static-site generator for multilingual community guides.
//!
//! The pipeline, in dependency order (each module's `//!` says what goes in,
//! what comes out and the steps):
//!
//! diagnostics → fingerprint → source → yaml → language → config → i18n → theme → content → markdown →
//! render → search → {check, output} → build → serve → scaffold → cli
//!
//! - `source` reads every editor-written file with guards (size, UTF-8, NUL,
//!   BOM) and classifies hidden characters; `yaml` parses within budgets.
//! - `config` reads `site.yaml`; `theme` layers the built-in theme, a theme
//!   on disk and the site's `templates/`; `i18n` loads UI strings with CLDR
//!   plurals, dates and numbers, and converts Simplified ↔ Traditional Chinese.
//! - `content` loads every page and facility into an immutable `Site`:
//!   every page has a version in every language (written, derived or fallback).
//! - `markdown` renders bodies with stable anchors and resolves `@/` links;
//!   `render` fills the Tera templates and draws the theme's SVG pictures;
//!   `output` minifies, adds feeds, the sitemap and the offline files, and
//!   publishes atomically; `search` writes the sharded index and
//!   its ES module; `check` holds the site-wide checks.
//! - `build` runs it all; `serve` rebuilds on change and serves the result.
//!
//! The stages are private to the crate. Its API is what the command line
//! uses: [`build()`], [`check()`], [`serve()`], [`scaffold()`], their options
//! and reports, and [`Diagnostic`]; [`cli::run`] is the command itself. The
//! fuzz targets in `fuzz/` and the tests reach their entry points through a
//! hidden module, `fuzzing`.

#![forbid(unsafe_code)]

pub mod cli;
#[doc(hidden)]
pub mod fuzzing;

mod build;
mod check;
mod config;
mod content;
mod diagnostics;
mod fingerprint;
mod i18n;
mod language;
mod markdown;
mod output;
mod render;
mod scaffold;
mod search;
mod serve;
mod source;
mod theme;
mod yaml;

pub use build::{BuildOptions, BuildReport, build, check};
pub use diagnostics::{Code, Diagnostic, Position, Severity};
pub use scaffold::{Kind, scaffold};
pub use serve::serve;
