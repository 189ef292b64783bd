//! Steps 1-2 of the rules: closures, first to digital or phone, then by overlap (fewest losing
//! first, each checked again after the closures before it). A site the overlap rule would close
//! but at which no demand is recorded is for review, not closed.

use super::scorecard::{self, Providers, SiteCard};
use super::Rules;
use crate::model::Study;
use crate::times::ModeTimes;

/// Which sites the rules close, and which of them to digital or phone.
pub(super) struct Closures {
    /// Per site: closed.
    pub(super) closed: Vec<bool>,
    /// Per site: closed to digital or phone (few, mostly once-and-done contacts).
    pub(super) digital: Vec<bool>,
    /// Per site: the reach rules would close it, but no demand is recorded at it.
    pub(super) review: Vec<bool>,
}

/// The closures, updating `providers` and each card's `losing_with_closures`.
pub(super) fn closures(
    study: &Study,
    rules: &Rules,
    cards: &mut [SiteCard],
    times: &ModeTimes,
    providers: &mut Providers,
) -> Closures {
    let n = study.sites.len();
    let b = rules.band.ix();
    let demand_ok = |c: &SiteCard| {
        c.right_first_time_percent
            .is_none_or(|p| p <= 100.0 * rules.close_max_right_first_time)
    };
    let to_digital = |j: usize| {
        let c = &cards[j];
        c.assessed
            && rules.may_close(&study.sites[j])
            && c.face_to_face_total > 0.0
            && c.face_to_face_total <= rules.digital_max_contacts
            && demand_ok(c)
    };
    let mut closed = vec![false; n];
    let mut digital = vec![false; n];
    let mut review = vec![false; n];
    for j in 0..n {
        if to_digital(j) {
            providers.close(j, &times.by_site[j]);
            closed[j] = true;
            digital[j] = true;
        }
    }
    // Overlap at the band, and few losing at the band and every wider one.
    let passes = |catchment: f64, losing: &dyn Fn(usize) -> f64| {
        let l = losing(b);
        catchment > 0.0
            && catchment - l >= rules.close_min_overlap * catchment
            && (b..study.bands.len()).all(|w| losing(w) <= rules.close_max_losing)
    };
    let mut order: Vec<usize> = (0..n)
        .filter(|&j| {
            let c = &cards[j];
            c.assessed
                && !closed[j]
                && rules.may_close(&study.sites[j])
                && demand_ok(c)
                && passes(c.catchment, &|w| c.losing_alone[w])
        })
        .collect();
    let desc = |a: Option<f64>, b: Option<f64>| b.unwrap_or(-1.0).total_cmp(&a.unwrap_or(-1.0));
    // Sites without demand evidence first: they are for review, and are counted as gone when
    // the others are judged, so that no closure leans on a site whose use is unknown.
    order.sort_by(|&x, &y| {
        cards[x]
            .evidence
            .has_demand()
            .cmp(&cards[y].evidence.has_demand())
            .then(cards[x].losing_alone[b].total_cmp(&cards[y].losing_alone[b]))
            .then(desc(
                cards[x].cost_per_face_to_face,
                cards[y].cost_per_face_to_face,
            ))
            .then(desc(study.sites[x].annual_cost, study.sites[y].annual_cost))
            .then(x.cmp(&y))
    });
    for j in order {
        let catchment = &times.by_site[j];
        let now: Vec<f64> = (0..study.bands.len())
            .map(|w| scorecard::people(study, providers.losing_zones(j, w, catchment)).0)
            .collect();
        cards[j].losing_with_closures = Some(now[b]);
        if !passes(cards[j].catchment, &|w| now[w]) {
            continue;
        }
        // Closing needs evidence of the site's use: without any demand recorded, review.
        providers.close(j, catchment);
        if cards[j].evidence.has_demand() {
            closed[j] = true;
        } else {
            review[j] = true;
        }
    }

    Closures {
        closed,
        digital,
        review,
    }
}
