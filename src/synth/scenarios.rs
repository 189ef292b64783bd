//! The example scenario files of a synthetic study.

use super::district::{SiteOut, Tile};

/// Example scenarios for a synthetic study: close the three smallest libraries; move a town's
/// library and police counter into its council office; open the proposed sites and move 30% of
/// once-and-done face-to-face contacts online.
pub(super) fn scenario_files(tiles: &[Tile]) -> Vec<(String, String)> {
    let sites: Vec<&SiteOut> = tiles.iter().flat_map(|t| &t.sites).collect();
    let quoted = |v: &[&SiteOut]| {
        v.iter()
            .map(|s| format!("\"{}\"", s.id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    let mut libraries: Vec<&SiteOut> = sites
        .iter()
        .copied()
        .filter(|s| s.kind == "library" && !s.candidate)
        .collect();
    libraries.sort_by(|a, b| a.capacity.total_cmp(&b.capacity).then(a.id.cmp(&b.id)));
    libraries.truncate(3);
    let names: Vec<&str> = libraries.iter().map(|s| s.name.as_str()).collect();
    out.push((
        "close-small-libraries.toml".to_string(),
        format!(
            "description = \"Close the three smallest libraries ({})\"\nclose = [{}]\n",
            names.join(", "),
            quoted(&libraries)
        ),
    ));
    let near =
        |a: &SiteOut, b: &SiteOut| ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt() <= 1000.0;
    let share = sites
        .iter()
        .filter(|h| h.kind == "council_office" && !h.fixed && !h.candidate)
        .find_map(|h| {
            let guests: Vec<&SiteOut> = sites
                .iter()
                .copied()
                .filter(|g| {
                    (g.kind == "library" || g.kind == "police_station")
                        && !g.candidate
                        && near(h, g)
                })
                .collect();
            (!guests.is_empty()).then_some((*h, guests))
        });
    if let Some((host, guests)) = share {
        out.push((
            "share-town-hub.toml".to_string(),
            format!(
                "description = \"Move {} into {}\"\nshare = [{{ host = \"{}\", guests = [{}] }}]\n",
                guests
                    .iter()
                    .map(|g| g.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" and "),
                host.name,
                host.id,
                quoted(&guests)
            ),
        ));
    }
    let proposed: Vec<&SiteOut> = sites.iter().copied().filter(|s| s.candidate).collect();
    out.push((
        "digital-first.toml".to_string(),
        format!(
            "description = \"Open the proposed sites; 30% of once-and-done face-to-face contacts move online\"\nopen = [{}]\n\n[[channel_shift]]\nshare = 0.3\nto = \"digital\"\n",
            quoted(&proposed)
        ),
    ));
    out
}
