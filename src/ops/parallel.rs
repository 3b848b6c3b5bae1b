//! Work on several threads with results in order: what a batch uses to
//! validate rows, build and store a group's messages and write outbox
//! files (CPU work and waits on the disk), without a thread-pool crate.

/// Threads that build and store a group's messages, or write its outbox
/// files.
pub const STAGE_THREADS: usize = 4;

/// `f` over `items` on up to `threads` threads (contiguous chunks),
/// results in order. One thread (or one item) runs inline.
pub fn map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> =
            items.chunks(chunk).map(|c| s.spawn(move || c.iter().map(f).collect::<Vec<R>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_in_order_on_any_number_of_threads() {
        let items: Vec<u32> = (0..103).collect();
        for threads in [0, 1, 2, 4, 200] {
            assert_eq!(super::map(&items, threads, |x| x * 2), items.iter().map(|x| x * 2).collect::<Vec<_>>());
        }
        assert!(super::map(&[] as &[u32], 4, |x| *x).is_empty());
    }
}
