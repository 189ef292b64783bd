//! What the stages after reach take as input: the study, its network, reach per mode, and the
//! study's accessibility measures with their baseline scores.

use crate::access::{Measure, Scores};
use crate::model::Study;
use crate::network::Network;
use crate::reach::Reach;

/// A study with its network (if any), its reach measured and its accessibility scored.
pub struct Measured {
    /// The study as loaded.
    pub study: Study,
    /// The network, when the study names one.
    pub network: Option<Network>,
    /// Reach per mode.
    pub reach: Reach,
    /// The study's accessibility measures (`[[access]]`), in study order.
    pub measures: Vec<Measure>,
    /// Each measure's scores in the baseline, in the same order.
    pub access: Vec<Scores>,
}
