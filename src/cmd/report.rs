//! The reporter of the command line: problems on standard error as they are found, and the
//! progress of the PDFs — a bar on a terminal, a plain line every tenth of the way otherwise, so
//! logs stay short.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::build::Reporter;
use crate::cmd::{err, errln};
use crate::diag::Diagnostics;

/// Below this many PDFs no progress is shown: they are done before it could be read.
const PROGRESS_FROM: usize = 10;

/// Prints what a build or check finds.
pub(crate) struct Printer {
    progress: Mutex<Option<Progress>>,
}

/// Progress of the PDFs of one run.
struct Progress {
    total: usize,
    done: AtomicUsize,
    started: Instant,
    /// The bar, on a terminal.
    bar: Option<ProgressBar>,
}

impl Printer {
    pub(crate) fn new() -> Self {
        Self {
            progress: Mutex::new(None),
        }
    }

    fn with_progress(&self, f: impl FnOnce(&mut Option<Progress>)) {
        let mut progress = self.progress.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut progress);
    }
}

impl Default for Printer {
    fn default() -> Self {
        Self::new()
    }
}

impl Reporter for Printer {
    fn diagnostics(&self, diagnostics: &Diagnostics) {
        if diagnostics.is_empty() {
            return;
        }
        // A bar being drawn is suspended, so the problem does not end up inside it.
        self.with_progress(
            |progress| match progress.as_ref().and_then(|p| p.bar.as_ref()) {
                Some(bar) => bar.suspend(|| err!("{diagnostics}")),
                None => err!("{diagnostics}"),
            },
        );
    }

    fn not_built(&self, name: &str, errors: usize) {
        errln!("✗ {name}：未生成 / not built ({errors} error(s))");
    }

    fn note(&self, zh: &str, en: &str) {
        errln!("注意 / note: {zh} / {en}");
    }

    fn compiling(&self, total: usize) {
        // A batch tells a better estimate before each window of sets: the bar grows.
        let mut started = false;
        self.with_progress(|progress| {
            if let Some(p) = progress.as_mut() {
                p.total = total;
                if let Some(bar) = &p.bar {
                    bar.set_length(total as u64);
                }
                started = true;
            }
        });
        if started || total < PROGRESS_FROM {
            return;
        }
        // indicatif draws nothing when stderr is not a terminal; plain lines are given then.
        let bar = (!ProgressDrawTarget::stderr().is_hidden()).then(|| {
            let bar = ProgressBar::new(total as u64);
            if let Ok(style) = ProgressStyle::with_template(
                "PDF {pos}/{len} {wide_bar} 还需约 {eta} / about {eta} left",
            ) {
                bar.set_style(style);
            }
            bar
        });
        self.with_progress(|progress| {
            *progress = Some(Progress {
                total,
                done: AtomicUsize::new(0),
                started: Instant::now(),
                bar,
            });
        });
    }

    fn compiled(&self) {
        self.with_progress(|progress| {
            let Some(p) = progress.as_ref() else {
                return;
            };
            let done = p.done.fetch_add(1, Ordering::Relaxed) + 1;
            match &p.bar {
                Some(bar) => bar.inc(1),
                None if done * 10 / p.total != (done - 1) * 10 / p.total => {
                    errln!(
                        "PDF {done}/{} ({:.0} s)",
                        p.total,
                        p.started.elapsed().as_secs_f64()
                    );
                }
                None => {}
            }
        });
    }

    fn compiled_all(&self) {
        self.with_progress(|progress| {
            if let Some(bar) = progress.take().and_then(|p| p.bar) {
                bar.finish_and_clear();
            }
        });
    }
}
