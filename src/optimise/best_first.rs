//! The order of a best-first branch-and-bound queue, for node types with a `bound: f64` and
//! a creation number `seq: u64`: a `BinaryHeap`'s greatest is the smallest bound, and of equal
//! bounds the newest (a dive), a total order so that the search is deterministic.

/// Implements `Ord` (and `PartialOrd`, `Eq`, `PartialEq`) on a node type by its `bound` and
/// `seq` fields in best-first order.
macro_rules! best_first_order {
    ($node:ty) => {
        impl PartialEq for $node {
            fn eq(&self, other: &Self) -> bool {
                self.cmp(other) == std::cmp::Ordering::Equal
            }
        }
        impl Eq for $node {}
        impl PartialOrd for $node {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
        impl Ord for $node {
            /// The heap's greatest is the smallest bound, then the newest.
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                other
                    .bound
                    .total_cmp(&self.bound)
                    .then(self.seq.cmp(&other.seq))
            }
        }
    };
}

pub(super) use best_first_order;

/// The next nodes to expand together: up to `size` from the top of a best-first heap, after
/// dropping every node `prunes` rejects (also from the top, so that the heap's smallest bound
/// left is the global bound). Empty when nothing is left.
pub(super) fn next_batch<T: Ord>(
    heap: &mut std::collections::BinaryHeap<T>,
    size: usize,
    prunes: impl Fn(&T) -> bool,
) -> Vec<T> {
    let mut batch = Vec::with_capacity(size);
    while batch.len() < size {
        match heap.pop() {
            Some(n) if !prunes(&n) => batch.push(n),
            Some(_) => {}
            None => break,
        }
    }
    batch
}
