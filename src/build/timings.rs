//! How long each stage of a build took, summed over its windows of document sets
//! (`qingdan build --timings` prints them): to see where a build's time goes without a profiler.

use std::time::{Duration, Instant};

/// A stage of [`super::build`], in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Stages 1–3: inputs read, validated and rendered to Markdown ([`crate::prepare`]).
    Prepare,
    /// Loading the fonts, once, when the first PDF is wanted.
    Fonts,
    /// Stage 5: each document's Typst source, and the characters no font has.
    Markup,
    /// What must be made again: digests against the last build's.
    Plan,
    /// The PDFs, on the worker threads.
    Compile,
    /// The .docx files, on the worker threads.
    Docx,
    /// Each set written all or nothing.
    Write,
    /// The batch indexes.
    Index,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: [Stage; 8] = [
        Stage::Prepare,
        Stage::Fonts,
        Stage::Markup,
        Stage::Plan,
        Stage::Compile,
        Stage::Docx,
        Stage::Write,
        Stage::Index,
    ];

    /// The stage's name, in Chinese and English.
    pub fn name(self) -> (&'static str, &'static str) {
        match self {
            Stage::Prepare => ("读取与渲染", "prepare"),
            Stage::Fonts => ("加载字体", "fonts"),
            Stage::Markup => ("排版代码", "markup"),
            Stage::Plan => ("增量判断", "plan"),
            Stage::Compile => ("生成 PDF", "compile"),
            Stage::Docx => ("生成 Word", "docx"),
            Stage::Write => ("写入", "write"),
            Stage::Index => ("索引", "index"),
        }
    }
}

/// The wall time spent in each stage.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    spent: [Duration; Stage::ALL.len()],
}

impl Timings {
    /// Runs `stage` and adds the time it took.
    pub(super) fn time<R>(&mut self, stage: Stage, work: impl FnOnce() -> R) -> R {
        let started = Instant::now();
        let result = work();
        self.spent[stage as usize] += started.elapsed();
        result
    }

    /// The time spent in `stage`.
    pub fn of(&self, stage: Stage) -> Duration {
        self.spent[stage as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stage_adds_up_its_own_time() {
        let mut timings = Timings::default();
        for _ in 0..2 {
            timings.time(Stage::Compile, || {
                std::thread::sleep(Duration::from_millis(2));
            });
        }
        assert_eq!(timings.time(Stage::Write, || 7), 7);
        assert!(timings.of(Stage::Compile) >= Duration::from_millis(4));
        assert!(timings.of(Stage::Compile) > timings.of(Stage::Write));
        assert_eq!(timings.of(Stage::Prepare), Duration::ZERO);
        for (i, stage) in Stage::ALL.into_iter().enumerate() {
            assert_eq!(stage as usize, i);
        }
    }
}
