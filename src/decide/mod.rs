//! The decision layer: a scorecard per site, and a recommendation (`keep`, `share`, `close`,
//! `open`, or `not_opened` for a candidate left out) with its reasons in plain words, each number
//! in them also a column of `sites.csv`.
//!
//! The rules, in order (thresholds from the study's `[decide]`, defaults in [`rules`]):
//! 1. Street furniture is not assessed (it may host a digital point or be proposed as a new point
//!    of presence); a `fixed` site, and a site of a kind the study never closes (`never_close`,
//!    default GP practices, pharmacies and hospitals: partners' clinical sites), is kept, though
//!    it may host a share or a digital point.
//! 2. **Close**: first, to digital or phone: a building whose face-to-face contacts a year are
//!    at most `digital_max_contacts` and at most `close_max_right_first_time` facilitated or
//!    advocacy. Then, by overlap: a building whose contacts pass the same right-first-time test
//!    (or that records none), where at least `close_min_overlap` of the people within the
//!    catchment band keep every one of its services at another open site within the band, and
//!    at most `close_max_losing` people lose one within that band and every wider one. Sites are
//!    taken in order of fewest losing, then highest cost per face-to-face contact, then largest
//!    cost, and each is checked again after the closures before it, so two sites that cover for
//!    each other are not both closed. A site with nobody within the band is not closed by
//!    overlap.
//! 3. **Share**: among the buildings left, sites of different agencies within `share_minutes`'
//!    walk of a host whose capacity takes their face-to-face contacts (hosts in order: fixed,
//!    best condition, most capacity, most floor area, most services, most people within the
//!    band; where the
//!    host has no capacity the fit is not checked, and said); each cluster is run through the scenario
//!    engine as a share, and recommended when it leaves at most `close_max_losing` people, and at
//!    most `1 - close_min_overlap` of the cluster's catchment, without a service within the band.
//! 4. **Keep** every other building, with the reasons it is needed.
//! 5. **Open**: candidates chosen by the gap analysis (MCLP over the hot spots); other candidates
//!    are `not_opened`.
//!
//! The whole plan (every close, share and open together) is then evaluated as one scenario,
//! `recommended`.

mod close;
mod decision;
pub mod explain;
pub mod gaps;
pub mod proposals;
mod reasons;
pub mod rules;
pub mod scorecard;
mod steps;

pub use decision::{group_label, Decisions, Recommendation, SiteDecision};
pub use rules::Rules;
pub use steps::decide;
