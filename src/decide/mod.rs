//! The decision layer: a scorecard per site, and a recommendation with its reasons in plain
//! words, each number in them also a column of `sites.csv`: `close`, `review` (the reach rules
//! would close it but no demand is recorded at it), `share`, `keep`, `open`, `not_opened` (a
//! candidate left out), `not_assessed` (street furniture) or `context` (outside the study area,
//! or in a site file marked `assess = false`: it counts for reach, the study does not decide on
//! it). Each assessed site also carries its `evidence`: `demand_and_cost`, `demand` or
//! `reach_only`.
//!
//! The rules, in order (thresholds from the study's `[decide]`, defaults in [`rules`]):
//! 1. Street furniture and context sites are not assessed (street furniture may host a digital
//!    point); a `fixed` site, and a site of a kind the study never closes (`never_close`,
//!    default GP practices, pharmacies and hospitals: partners' clinical sites), is kept, though
//!    it may host a share or a digital point.
//! 2. **Close**, only on evidence of use: first, to digital or phone: a building whose
//!    face-to-face contacts a year are at most `digital_max_contacts` and at most
//!    `close_max_right_first_time` facilitated or advocacy. Then, by overlap: a building whose
//!    contacts pass the same right-first-time test (or that records none), where at least
//!    `close_min_overlap` of the people within the catchment band keep every one of its
//!    services at another open site within the band, and at most `close_max_losing` people lose
//!    one within that band and every wider one. Sites without demand evidence are taken first
//!    and marked **review**, never closed, and counted as gone when the others are judged (no
//!    closure leans on a site whose use is unknown); the rest in order of fewest losing, then
//!    highest cost per face-to-face contact, then largest cost, each checked again after those
//!    before it, so two sites that cover for each other are not both closed. A site with nobody
//!    within the band is not closed by overlap. A study with no demand data closes nothing.
//! 3. **Share**: among the buildings left, sites of different agencies within `share_minutes`'
//!    walk of a host that the hosts table (`[decide.hosts]`, see [`rules::default_hosts`])
//!    lets take them in, whose spare capacity (capacity less its own face-to-face contacts)
//!    takes theirs (hosts in order: fixed, best condition, most capacity, most floor area, most
//!    services, most people within the band; where the host has no capacity the fit is not
//!    checked, and said); a refused guest is named in the host's reasons. Each cluster is run
//!    through the scenario engine as a share, and recommended when it leaves at most
//!    `close_max_losing` people, and at most `1 - close_min_overlap` of the cluster's
//!    catchment, without a service within the band, and demand is recorded at every guest.
//! 4. **Keep** every other building, with the reasons it is needed.
//! 5. **Open**: candidates chosen by the gap analysis (MCLP over the hot spots); other candidates
//!    are `not_opened`. The gap analysis may also choose a partner's building (a front door
//!    there) or street furniture (a digital point of presence, never a "new site").
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
pub use scorecard::Evidence;
pub use steps::decide;
