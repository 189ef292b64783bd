//! Compensated (Neumaier) summation: sums of many values that do not depend on their order's
//! rounding, so results are the same at any thread count when the order is fixed.

/// Neumaier's compensated sum of an iterator of values.
pub fn sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut acc = Sum::default();
    for v in values {
        acc.add(v);
    }
    acc.value()
}

/// A compensated (Neumaier) running sum.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sum {
    total: f64,
    compensation: f64,
}

impl Sum {
    /// Adds a value.
    pub fn add(&mut self, v: f64) {
        let t = self.total + v;
        if self.total.abs() >= v.abs() {
            self.compensation += (self.total - t) + v;
        } else {
            self.compensation += (v - t) + self.total;
        }
        self.total = t;
    }

    /// The sum so far.
    pub fn value(&self) -> f64 {
        self.total + self.compensation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compensation_keeps_what_plain_addition_loses() {
        // 1 + 1e100 + 1 - 1e100: plain left-to-right addition gives 0.
        let values = [1.0, 1e100, 1.0, -1e100];
        assert_eq!(values.iter().sum::<f64>(), 0.0);
        assert_eq!(sum(values), 2.0);
    }

    #[test]
    fn small_values_after_a_large_one_are_kept() {
        let mut values = vec![1e16];
        values.extend(std::iter::repeat_n(1.0, 10));
        assert_eq!(sum(values), 1e16 + 10.0);
    }

    #[test]
    fn empty_sum_is_zero() {
        assert_eq!(sum(std::iter::empty()), 0.0);
    }
}
