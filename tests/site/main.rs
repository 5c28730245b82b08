//! Integration tests: fixture sites built by the real binary, output inspected.

mod support;

mod checks;
mod cli;
mod errors;
mod i18n;
mod output;
mod search;
mod serve;
mod signage;
mod theme;
