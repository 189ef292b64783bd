//! Numbers and names as a reader wants them: thousands separators, rounding that suits the
//! quantity, lists in prose, and plain-English labels for the columns of scenarios.csv (a
//! column's raw name is never shown).

use crate::text::whole;

/// A figure for people: whole numbers with separators from 10 up; below, at most three
/// significant digits ("2.5", "0.084"); blank stays blank, text stays text.
pub(crate) fn figure(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let a = v.abs();
    if a >= 10.0 || v.fract() == 0.0 {
        return whole(v);
    }
    let decimals = if a >= 1.0 {
        1
    } else {
        // Three significant digits below 1: 0.0844 -> "0.0844", 0.5 -> "0.5".
        (2 - a.log10().floor() as i32).clamp(1, 8) as usize
    };
    let s = format!("{v:.decimals$}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Minutes for people: whole from 10 up, one decimal below.
pub(crate) fn minutes(v: f64) -> String {
    if v >= 10.0 {
        whole(v)
    } else {
        format!("{v:.1}")
    }
}

/// "a", "a and b", "a, b and c"; with more than `most`, the first ones and "n others".
pub(crate) fn list(items: &[String], most: usize) -> String {
    list_of(items, most, "other", "others")
}

/// As [`list`], naming what the others are ("and 3 other moves").
pub(crate) fn list_of(items: &[String], most: usize, one: &str, many: &str) -> String {
    let mut shown: Vec<String> = items.iter().take(most).cloned().collect();
    if items.len() > most {
        let more = items.len() - most;
        shown.push(format!(
            "{} {}",
            whole(more as f64),
            if more == 1 { one } else { many }
        ));
    }
    match shown.len() {
        0 => String::new(),
        1 => shown[0].clone(),
        n => format!("{} and {}", shown[..n - 1].join(", "), shown[n - 1]),
    }
}

/// "a", "a or b", "a, b or c".
pub(crate) fn either(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} or {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// "1 building", "3 buildings".
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", whole(n as f64))
    }
}

/// A vulnerable group's column name for people ("age_65_plus" -> "people aged 65 plus",
/// "no_car" -> "people without a car").
pub(crate) fn group(name: &str) -> String {
    match name {
        "no_car" => "people without a car".into(),
        "disabled" | "disability" => "disabled people".into(),
        n if n.starts_with("age_") => format!("people aged {}", n[4..].replace('_', " ")),
        n => n.replace('_', " "),
    }
}

/// How a row of the scenario comparison reads, and how its numbers are shown.
pub(crate) struct Measure {
    /// The question the row answers.
    pub label: String,
    /// Multiply by this before showing (access scores are shown per 1,000 people).
    pub scale: f64,
    /// Shown as money.
    pub money: bool,
}

/// The plain-English label of a scenarios.csv column; None for the columns that are not
/// measures (names, descriptions).
pub(crate) fn measure(column: &str, groups: &[String]) -> Option<Measure> {
    let m = |label: String| {
        Some(Measure {
            label,
            scale: 1.0,
            money: false,
        })
    };
    let fixed = match column {
        "scenario" | "description" | "scope" => return None,
        "sites_closed" => "buildings closed",
        "sites_opened" => "sites opened",
        "sites_shared" => "buildings moved into a partner's",
        "annual_cost_saved" => {
            return Some(Measure {
                label: "running cost saved a year".into(),
                scale: 1.0,
                money: true,
            })
        }
        "sites_without_cost" => "buildings with no running cost in the study",
        "face_to_face_rerouted" => "face-to-face contacts a year re-routed to another site",
        "face_to_face_unplaced" => "face-to-face contacts a year with no open site for them",
        "newly_overloaded_sites" => "sites newly over capacity",
        "already_overloaded_sites" => "sites over capacity already",
        _ => "",
    };
    if !fixed.is_empty() {
        return m(fixed.into());
    }
    if let Some(ch) = column.strip_prefix("face_to_face_moved_to_") {
        return m(format!("face-to-face contacts a year moved to {ch}"));
    }
    let band_mode = |rest: &str| -> Option<(String, String)> {
        let (band, mode) = rest.split_once("min_")?;
        band.parse::<u32>().ok()?;
        Some((band.to_string(), mode.to_string()))
    };
    for (verb, word) in [("_losing_", "losing"), ("_gaining_", "gaining")] {
        if let Some((who, rest)) = column.split_once(verb) {
            let (band, mode) = band_mode(rest)?;
            let who = if who == "population" {
                "people".to_string()
            } else if groups.iter().any(|g| g == who) {
                group(who)
            } else {
                who.replace('_', " ")
            };
            let what = if word == "losing" {
                "losing"
            } else {
                "gaining"
            };
            return m(format!("{who} {what} a service within {band} min {mode}"));
        }
    }
    if let Some(rest) = column.strip_prefix("mean_minutes_") {
        let (mode, when) = rest.rsplit_once('_')?;
        return m(format!("mean minutes by {mode} to the services, {when}"));
    }
    if let Some(mode) = column.strip_prefix("max_minutes_increase_") {
        return m(format!("largest rise in minutes by {mode}"));
    }
    if let Some(rest) = column.strip_prefix("access_") {
        for (suffix, what) in [
            ("_mean_before", "access per 1,000 people, before"),
            ("_mean_after", "access per 1,000 people, after"),
            ("_demand_worse", "people whose access worsens"),
            ("_demand_better", "people whose access improves"),
        ] {
            if let Some(name) = rest.strip_suffix(suffix) {
                let per_thousand = suffix.starts_with("_mean");
                return Some(Measure {
                    label: format!("{}: {what}", name.replace('_', " ")),
                    scale: if per_thousand { 1000.0 } else { 1.0 },
                    money: false,
                });
            }
        }
    }
    m(column.replace('_', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_for_people() {
        assert_eq!(figure(13465.0), "13,465");
        assert_eq!(figure(79.614), "80");
        assert_eq!(figure(2.54), "2.5");
        assert_eq!(figure(0.084_438_856), "0.0844");
        assert_eq!(figure(0.5), "0.5");
        assert_eq!(figure(0.0), "0");
        assert_eq!(figure(f64::NAN), "");
        assert_eq!(minutes(7.26), "7.3");
        assert_eq!(minutes(147.835), "148");
    }

    #[test]
    fn lists_in_prose() {
        let v: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        assert_eq!(list(&v[..1], 3), "a");
        assert_eq!(list(&v[..2], 3), "a and b");
        assert_eq!(list(&v, 3), "a, b, c and 1 other");
        assert_eq!(either(&v[..3]), "a, b or c");
        assert_eq!(count(1, "site", "sites"), "1 site");
        assert_eq!(count(1200, "site", "sites"), "1,200 sites");
    }

    #[test]
    fn measures_read_as_questions() {
        let g = vec!["age_65_plus".to_string()];
        let l = |c: &str| measure(c, &g).unwrap().label;
        assert_eq!(
            l("age_65_plus_losing_20min_walk"),
            "people aged 65 plus losing a service within 20 min walk"
        );
        assert_eq!(
            l("population_gaining_10min_drive"),
            "people gaining a service within 10 min drive"
        );
        assert_eq!(
            l("mean_minutes_walk_before"),
            "mean minutes by walk to the services, before"
        );
        let a = measure("access_2sfca_walk_library_services_mean_after", &g).unwrap();
        assert_eq!(a.scale, 1000.0);
        assert!(a
            .label
            .starts_with("2sfca walk library services: access per 1,000"));
        assert!(measure("scope", &g).is_none());
        assert!(measure("annual_cost_saved", &g).unwrap().money);
    }
}
