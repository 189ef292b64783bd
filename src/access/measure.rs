//! The study's `[[access]]` entries resolved into measures: method, mode, supply, demand,
//! catchment limit and weight function, each checked with the entry's field named.

use std::path::Path;

use super::weight::Weight;
use crate::error::Problem;
use crate::ids::{Bands, ModeIx};
use crate::load::settings::AccessInput;
use crate::mode::ModeParams;
use crate::model::{column_part, Estate, Site, Study};

/// The accessibility method of a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Cumulative opportunities: supply within the catchment.
    Cumulative,
    /// Gravity: supply weighted by a function of cost.
    Gravity,
    /// Two-step floating catchment area.
    TwoStage,
    /// Enhanced 2SFCA (step weights).
    EnhancedTwoStage,
    /// Three-step floating catchment area.
    ThreeStage,
    /// Supply over demand within each zone's catchment.
    FcaRatio,
}

impl Method {
    /// Every method, with the names the study file uses.
    pub const ALL: [(Method, &'static str); 6] = [
        (Method::Cumulative, "cumulative"),
        (Method::Gravity, "gravity"),
        (Method::TwoStage, "2sfca"),
        (Method::EnhancedTwoStage, "e2sfca"),
        (Method::ThreeStage, "3sfca"),
        (Method::FcaRatio, "fca_ratio"),
    ];

    /// The name in study files and outputs.
    pub fn name(self) -> &'static str {
        Method::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map(|(_, n)| *n)
            .expect("every method is listed")
    }

    /// The weight function used when the study names none.
    pub fn default_weight(self) -> Weight {
        match self {
            Method::Gravity => Weight::Gravity {
                scale: 1.0,
                alpha: -1.0,
                min: 1.0,
            },
            Method::EnhancedTwoStage => Weight::e2sfca_default(),
            Method::ThreeStage => Weight::three_stage_default(),
            Method::Cumulative | Method::TwoStage | Method::FcaRatio => Weight::Flat,
        }
    }
}

/// The site value a measure takes as supply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupplyField {
    /// Every site counts 1.
    One,
    /// Capacity, visits a year.
    Capacity,
    /// Opening hours a week.
    OpeningHours,
    /// Floor area, m².
    FloorArea,
    /// Annual running cost.
    AnnualCost,
}

impl SupplyField {
    /// Every supply field, with the names the study file uses.
    pub const ALL: [(SupplyField, &'static str); 5] = [
        (SupplyField::One, "one"),
        (SupplyField::Capacity, "capacity"),
        (SupplyField::OpeningHours, "opening_hours"),
        (SupplyField::FloorArea, "floor_area_m2"),
        (SupplyField::AnnualCost, "annual_cost"),
    ];

    /// The value of a site in an estate (`None` where the site has none).
    pub fn value(self, estate: &Estate, study: &Study, j: usize) -> Option<f64> {
        let s = &study.sites[j];
        match self {
            SupplyField::One => Some(1.0),
            SupplyField::Capacity => estate.capacity[j],
            SupplyField::OpeningHours => estate.opening_hours[j],
            SupplyField::FloorArea => s.floor_area_m2,
            SupplyField::AnnualCost => s.annual_cost,
        }
    }

    fn name(self) -> &'static str {
        SupplyField::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map(|(_, n)| *n)
            .expect("every field is listed")
    }
}

/// An accessibility measure of the study, resolved and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// Its name; columns are `access_<name>` and `access_<name>_normalised`.
    pub name: String,
    /// The method.
    pub method: Method,
    /// The travel mode among the study's modes.
    pub mode: ModeIx,
    /// Only sites offering this service, or every open site.
    pub service: Option<String>,
    /// Supply per site.
    pub supply: SupplyField,
    /// Demand per zone: population (None) or a profile column index.
    pub demand: Option<usize>,
    /// Catchment limit, minutes.
    pub max_minutes: f64,
    /// The weight function.
    pub weight: Weight,
}

/// Checks the study's `[[access]]` entries against its modes, bands, profile and sites.
pub fn resolve_measures(
    path: &Path,
    inputs: &[AccessInput],
    modes: &[ModeParams],
    bands: &Bands,
    profile: &[String],
    sites: &[Site],
) -> std::result::Result<Vec<Measure>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let max_band = bands.largest() as f64;
    for (n, input) in inputs.iter().enumerate() {
        let checked = Checks {
            path,
            n,
            modes,
            max_band,
            profile,
            sites,
        };
        if let Some(m) = checked.resolve(input, &mut problems) {
            out.push(m);
        }
    }
    for (i, m) in out.iter().enumerate() {
        if out[..i].iter().any(|o| o.name == m.name) {
            problems.push(Problem::field(
                path,
                "access",
                format!(
                    "two measures are named \"{}\": give each its own `name`",
                    m.name
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn weight_of(
    input: &AccessInput,
    method: Method,
    fail: &mut dyn FnMut(&str, String),
) -> Option<Weight> {
    let decay = input
        .decay
        .as_deref()
        .map(|d| d.trim().to_ascii_lowercase());
    let positive = |v: f64| v > 0.0 && v.is_finite();
    let w = match decay.as_deref() {
        None if input.steps.is_none()
            && input.scale.is_none()
            && input.alpha.is_none()
            && input.min_minutes.is_none()
            && input.sigma.is_none() =>
        {
            method.default_weight()
        }
        None => {
            fail(
                "decay",
                "weight parameters are given without `decay`: set decay = \"step\", \"gravity\" or \"gaussian\"".into(),
            );
            return None;
        }
        Some("none") => Weight::Flat,
        Some("step") => {
            let Some(steps) = input.steps.clone().filter(|s| !s.is_empty()) else {
                fail(
                    "steps",
                    "expected [[minutes, weight], ...] for a step decay".into(),
                );
                return None;
            };
            if steps.windows(2).any(|w| w[0].0 >= w[1].0)
                || steps
                    .iter()
                    .any(|&(t, w)| !(t >= 0.0 && t.is_finite() && w >= 0.0 && w.is_finite()))
            {
                fail(
                    "steps",
                    format!(
                        "expected ascending minutes with weights of zero or more, found {steps:?}"
                    ),
                );
                return None;
            }
            Weight::Step(steps)
        }
        Some("gravity") => {
            let scale = input.scale.unwrap_or(1.0);
            let alpha = input.alpha.unwrap_or(-1.0);
            let min = input.min_minutes.unwrap_or(1.0);
            if !positive(scale) {
                fail("scale", format!("expected a scale above 0, found {scale}"));
                return None;
            }
            if !alpha.is_finite() {
                fail("alpha", format!("expected a finite power, found {alpha}"));
                return None;
            }
            if !(min >= 0.0 && min.is_finite()) || (alpha < 0.0 && min == 0.0) {
                fail(
                    "min_minutes",
                    format!("expected minutes above 0 with a negative alpha (a zero cost would weigh infinitely), found {min}"),
                );
                return None;
            }
            Weight::Gravity { scale, alpha, min }
        }
        Some("gaussian") => {
            let sigma = input.sigma.unwrap_or(f64::NAN);
            if !positive(sigma) {
                fail(
                    "sigma",
                    format!("expected σ in minutes above 0 for a gaussian decay, found {sigma}"),
                );
                return None;
            }
            Weight::Gaussian { sigma }
        }
        Some(other) => {
            fail(
                "decay",
                format!("expected none, step, gravity or gaussian, found \"{other}\""),
            );
            return None;
        }
    };
    Some(w)
}

/// What one `[[access]]` entry is checked against.
struct Checks<'a> {
    path: &'a Path,
    /// Its index among the study's entries.
    n: usize,
    modes: &'a [ModeParams],
    max_band: f64,
    profile: &'a [String],
    sites: &'a [Site],
}

impl Checks<'_> {
    /// The measure of one entry, or None with its problems added.
    fn resolve(&self, input: &AccessInput, problems: &mut Vec<Problem>) -> Option<Measure> {
        let (path, n, modes, max_band, profile, sites) = (
            self.path,
            self.n,
            self.modes,
            self.max_band,
            self.profile,
            self.sites,
        );
        let field = |f: &str| format!("access[{n}].{f}");
        let before = problems.len();
        let mut fail = |f: &str, m: String| problems.push(Problem::field(path, field(f), m));
        let method = Method::ALL
            .iter()
            .find(|(_, name)| *name == input.method.trim().to_ascii_lowercase())
            .map(|(m, _)| *m);
        let Some(method) = method else {
            fail(
                "method",
                format!(
                    "expected one of {}, found \"{}\"",
                    Method::ALL.map(|(_, n)| n).join(", "),
                    input.method
                ),
            );
            return None;
        };
        let mode = match input.mode {
            None => Some(0),
            Some(m) => {
                let i = modes.iter().position(|p| p.mode == m);
                if i.is_none() {
                    fail(
                        "mode",
                        format!("{m} is not one of the study's travel modes"),
                    );
                }
                i
            }
        };
        let supply = match &input.supply {
            None => Some(SupplyField::One),
            Some(s) => {
                let f = SupplyField::ALL
                    .iter()
                    .find(|(_, name)| name == s)
                    .map(|(f, _)| *f);
                if f.is_none() {
                    fail(
                        "supply",
                        format!(
                            "expected one of {}, found \"{s}\"",
                            SupplyField::ALL.map(|(_, n)| n).join(", ")
                        ),
                    );
                }
                f
            }
        };
        let demand = match input.demand.as_deref() {
            None | Some("population") => Some(None),
            Some(d) => match profile.iter().position(|p| p == d) {
                Some(i) => Some(Some(i)),
                None => {
                    fail(
                        "demand",
                        format!(
                            "expected \"population\" or a profile column ({}), found \"{d}\"",
                            profile.join(", ")
                        ),
                    );
                    None
                }
            },
        };
        let max_minutes = input.max_minutes.unwrap_or(max_band);
        if !(max_minutes > 0.0 && max_minutes <= max_band) {
            fail(
                "max_minutes",
                format!("expected minutes above 0 and at most the largest travel band ({max_band}), found {max_minutes}: travel times are only kept up to the largest band"),
            );
        }
        let in_measure = |s: &Site| match &input.service {
            Some(svc) => s.offers().contains(&svc.as_str()),
            None => true,
        };
        if let Some(svc) = &input.service {
            if !sites.iter().any(in_measure) {
                fail(
                    "service",
                    format!("no site offers \"{svc}\" (a site offers its `services`, or its kind where it lists none)"),
                );
            }
        }
        if let Some(f) = supply.filter(|f| *f != SupplyField::One) {
            let missing = sites.iter().find(|s| {
                in_measure(s)
                    && match f {
                        SupplyField::Capacity => s.capacity.is_none(),
                        SupplyField::OpeningHours => s.opening_hours.is_none(),
                        SupplyField::FloorArea => s.floor_area_m2.is_none(),
                        SupplyField::AnnualCost => s.annual_cost.is_none(),
                        SupplyField::One => false,
                    }
            });
            if let Some(s) = missing {
                fail(
                    "supply",
                    format!(
                        "site \"{}\" has no {}, and every site in the measure needs one",
                        s.id,
                        f.name()
                    ),
                );
            }
        }
        let weight = weight_of(input, method, &mut fail);
        if problems.len() > before {
            return None;
        }
        let mode = mode.expect("checked");
        let name = input.name.clone().unwrap_or_else(|| {
            let mut n = format!("{}_{}", method.name(), modes[mode].mode);
            if let Some(s) = &input.service {
                n = format!("{n}_{s}");
            }
            n
        });
        Some(Measure {
            name: column_part(&name),
            method,
            mode: ModeIx::from(mode),
            service: input.service.clone(),
            supply: supply.expect("checked"),
            demand: demand.expect("checked"),
            max_minutes,
            weight: weight.expect("checked"),
        })
    }
}
