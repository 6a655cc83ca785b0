//! The worker threads of a build, and the one rule for how many there are (`--jobs`): the PDFs
//! are compiled on them, and the per-set stages that are worth spreading (the Typst sources and
//! digests, the .docx files) run on them too.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// At most this many workers per CPU core. Compiling is CPU-bound: a second worker per core
/// keeps the core busy while the first waits for the disk, more only add threads, stacks and
/// per-thread typst caches (`--jobs 1000` on 300 documents took 946 MB).
const WORKERS_PER_CORE: usize = 2;

/// How many threads work: one per core unless `--jobs` asks otherwise, never more than
/// [`WORKERS_PER_CORE`] per core.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Workers {
    /// The number asked for and allowed.
    count: usize,
    /// `--jobs`, when it asked for more than allowed: (asked, cores).
    capped: Option<(usize, usize)>,
}

impl Workers {
    /// The workers `--jobs` (`requested`) asks for on this machine.
    pub(crate) fn new(requested: Option<usize>) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::on(requested, cores)
    }

    fn on(requested: Option<usize>, cores: usize) -> Self {
        let most = cores.max(1) * WORKERS_PER_CORE;
        let asked = requested.unwrap_or(cores);
        Self {
            count: asked.clamp(1, most),
            capped: (asked > most).then_some((asked, cores)),
        }
    }

    /// How many threads there are.
    pub(crate) fn count(&self) -> usize {
        self.count
    }

    /// How many threads work on `items` things at once: never more than there are things.
    pub(crate) fn for_items(&self, items: usize) -> usize {
        self.count.min(items).max(1)
    }

    /// When `--jobs` asked for more than [`WORKERS_PER_CORE`] per core: the note saying so,
    /// in Chinese and English.
    pub(crate) fn capped_note(&self) -> Option<(String, String)> {
        let (asked, cores) = self.capped?;
        let used = self.count;
        Some((
            format!("--jobs {asked} 超过上限（{cores} 个 CPU 核 × 2），只用 {used} 个"),
            format!("--jobs {asked} is more than 2 per CPU core ({cores} cores); using {used}"),
        ))
    }

    /// `work` applied to every item, on the workers; the results in the items' order. Each
    /// item is taken by whichever worker is free, so a slow one does not hold up the others.
    pub(crate) fn map<T: Send, R: Send>(
        &self,
        items: Vec<T>,
        work: impl Fn(T) -> R + Sync,
    ) -> Vec<R> {
        let workers = self.for_items(items.len());
        if workers == 1 {
            return items.into_iter().map(work).collect();
        }
        let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|i| Mutex::new(Some(i))).collect();
        let results: Vec<Mutex<Option<R>>> = slots.iter().map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(slot) = slots.get(i) else {
                            break;
                        };
                        let item = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
                        if let Some(item) = item {
                            let result = work(item);
                            *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                        }
                    }
                });
            }
        });
        results
            .into_iter()
            .filter_map(|r| r.into_inner().unwrap_or_else(|e| e.into_inner()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workers_are_the_cores_by_default_and_at_most_twice_the_cores() {
        // (--jobs, cores) → workers, and whether a note says it was capped
        let cases = [
            (None, 2, 2, false),
            (Some(1000), 2, 4, true),
            (Some(3), 2, 3, false),
            (Some(4), 2, 4, false),
            (Some(5), 2, 4, true),
            (Some(0), 2, 1, false),
            (None, 0, 1, false),
        ];
        for (jobs, cores, want, capped) in cases {
            let workers = Workers::on(jobs, cores);
            assert_eq!(workers.count, want, "{jobs:?} {cores}");
            assert_eq!(workers.capped_note().is_some(), capped, "{jobs:?} {cores}");
        }
        let workers = Workers::on(Some(1000), 8);
        assert_eq!(workers.for_items(3), 3);
        assert_eq!(workers.for_items(0), 1);
        let (zh, en) = workers.capped_note().unwrap();
        assert!(zh.starts_with("--jobs 1000 超过上限"), "{zh}");
        assert!(en.ends_with("(8 cores); using 16"), "{en}");
    }

    #[test]
    fn map_keeps_the_order_of_the_items() {
        for jobs in [1, 2, 4] {
            let squares = Workers::on(Some(jobs), 4).map((0..100).collect(), |i: u64| i * i);
            assert_eq!(
                squares,
                (0..100).map(|i| i * i).collect::<Vec<_>>(),
                "{jobs}"
            );
        }
    }
}
