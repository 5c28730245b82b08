//! Progress and stage timings. Each stage of a build is a `tracing` span named
//! `stage`: with `--verbose` the command line logs how long each one took (the
//! inner stages that run side by side as well). On a terminal one status
//! line, rewritten in place, says which stage is being worked on.

use std::cell::RefCell;

use tracing::span::EnteredSpan;

pub(super) use crate::diagnostics::timed;

/// The stage being worked on: a span entered until the next stage starts,
/// and the status line when it is shown.
pub(super) struct Progress {
    shown: bool,
    stage: RefCell<Option<EnteredSpan>>,
}

impl Progress {
    /// Progress that writes the status line when `shown`, and only logs otherwise.
    pub(super) fn new(shown: bool) -> Self {
        Progress {
            shown,
            stage: RefCell::new(None),
        }
    }

    /// Ends the stage before (its span closes) and starts `stage`.
    pub(super) fn show(&self, stage: &str) {
        self.stage.borrow_mut().take();
        if self.shown {
            eprint!("\r\x1b[2K{stage}…");
        }
        *self.stage.borrow_mut() = Some(tracing::info_span!("stage", name = %stage).entered());
    }

    /// Ends the last stage and clears the status line.
    pub(super) fn done(&self) {
        self.stage.borrow_mut().take();
        if self.shown {
            eprint!("\r\x1b[2K");
        }
    }
}
