//! Integration tests: fixture sites built by the real binary, output inspected.

// A test may be a long script of steps (the 80-line limit is for the code).
#![allow(clippy::too_many_lines)]

mod support;

mod build_cache;
mod checks;
mod city_wide;
mod cli;
mod domain;
mod errors;
mod fuzz_regressions;
mod hostile;
mod i18n;
mod incremental;
mod layers;
mod mistakes;
mod output;
mod page_markup;
mod publish;
mod safety;
mod search;
mod seed_wording;
mod serve;
mod serve_limits;
mod signage;
mod theme;
