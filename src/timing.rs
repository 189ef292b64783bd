//! The wall time of each named stage of a run, in order (written to run.json).

/// Wall time of each stage, in order.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// (stage, milliseconds).
    pub stages: Vec<(String, f64)>,
}

impl Timings {
    /// Runs `f`, recording its wall time under `stage`.
    pub fn time<T>(&mut self, stage: &str, f: impl FnOnce() -> T) -> T {
        let t = std::time::Instant::now();
        let v = f();
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        log::debug!("stage {stage}: {:.3} s", ms / 1000.0);
        self.stages.push((stage.to_string(), ms));
        v
    }
}
