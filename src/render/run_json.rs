//! run.json: what was run, on which inputs (with SHA-256), with which parameters, giving which
//! outputs, and how long each stage took: enough to reproduce the run. Only `timings_ms` and
//! `threads` change between identical runs.

use serde_json::{json, Map, Value};

use crate::decide::Rules;
use crate::model::Study;
use crate::network::Network;
use crate::reach::{Reach, TimeBasis};
use crate::timing::Timings;

/// Builds run.json.
pub fn run_json(
    study: &Study,
    reach: &Reach,
    network: Option<&Network>,
    rules: &Rules,
    outputs: &[(String, String)],
    formats: &[&str],
    timings: &Timings,
) -> String {
    let network_json = match (network, &study.network) {
        (Some(net), Some(path)) => json!({
            "file": path.file_name().map(|f| f.to_string_lossy().to_string()),
            "sha256": net.sha256,
            "snap_limit_m": study.snap_limit_m,
            "off_network_legs": "walked at the walking speed",
            "time_unit": "millisecond",
            "modes": study.modes.iter().zip(&net.modes).map(|(p, m)| json!({
                "mode": p.mode.name(),
                "nodes": m.graph.node_count(),
                "links": m.graph.links.len(),
                "dropped_nodes": m.graph.dropped_nodes,
                "dropped_links": m.graph.dropped_links,
                "zones_not_joined": m.zone_snaps.iter().filter(|s| s.is_none()).count(),
                "sites_not_joined": m.site_snaps.iter().filter(|s| s.is_none()).count(),
            })).collect::<Vec<_>>(),
        }),
        _ => Value::Null,
    };
    let transit_json = match network.and_then(|n| n.transit.as_ref()) {
        Some(tn) => {
            let t = &tn.settings;
            json!({
                "feeds": tn.feeds.iter().map(|(p, sha)| json!({
                    "file": p.file_name().map(|f| f.to_string_lossy().to_string()),
                    "sha256": sha,
                })).collect::<Vec<_>>(),
                "service_day": t.date.to_string(),
                "first_departure": format!("{:02}:{:02}", t.departure_s / 3600, t.departure_s / 60 % 60),
                "window_minutes": t.window_minutes,
                "departures_per_minute": tn.timetables.len(),
                "percentiles": t.percentiles,
                "percentile_rule": "nearest rank: the ceil(p x n / 100)-th shortest of the n departures",
                "max_access_minutes": t.max_access_minutes,
                "max_transfer_m": t.max_transfer_m,
                "max_rides": t.max_rides,
                "board_slack_s": crate::network::transit::raptor::BOARD_SLACK_S,
                "horizon_minutes": tn.horizon_s / 60,
                "stops": tn.stops.len(),
                "stops_not_joined": tn.walks.stop_snaps.iter().filter(|s| s.is_none()).count(),
                "patterns": tn.timetables[0].patterns.len(),
                "trips_in_timetable": tn.timetables[0].trips(),
                "trips_on_day": tn.counts.trips_on_day,
                "frequency_based_trips": tn.counts.frequency_trips,
                "trips_left_out": tn.counts.skipped,
                "stop_times": tn.counts.stop_times,
                "stop_times_interpolated": tn.counts.interpolated,
            })
        }
        None => Value::Null,
    };
    let inputs: Vec<Value> = study
        .inputs
        .iter()
        .map(|i| {
            json!({
                "role": i.role,
                "path": i.path.to_string_lossy(),
                "sha256": i.sha256,
                "bytes": i.bytes,
                "rows": i.rows,
                "rows_used": i.used,
            })
        })
        .collect();
    let mut kinds = Map::new();
    for k in &study.kinds {
        kinds.insert(
            k.clone(),
            json!(study.sites.iter().filter(|s| &s.kind == k).count()),
        );
    }
    let skipped: Map<String, Value> = study
        .report
        .demand_skipped
        .iter()
        .map(|(r, n)| (r.clone(), json!(n)))
        .collect();
    let mut times = Map::new();
    for (s, ms) in &timings.stages {
        times.insert(s.clone(), json!((ms * 10.0).round() / 10.0));
    }
    let v = json!({
        "frontdoor": { "version": env!("CARGO_PKG_VERSION") },
        "study": {
            "name": study.name,
            "file": study.path.file_name().map(|f| f.to_string_lossy().to_string()),
            "sha256": study.sha256,
            "attribution": study.attribution,
        },
        "inputs": inputs,
        "parameters": {
            "working_crs": study.crs.to_string(),
            "output_crs": "EPSG:4326",
            "crs_engine": crate::crs::Crs::engine(),
            "time_basis": reach.basis().name(),
            "time_method": match reach.basis() {
                TimeBasis::StraightLine => "minutes = straight-line distance (m) x circuity / (speed_kmh x 1000 / 60)",
                TimeBasis::Network => "shortest paths on the OpenStreetMap network (Dijkstra), with walked legs to and from it",
                TimeBasis::PublicTransport => "range RAPTOR over GTFS timetables with walks on the OpenStreetMap network",
                TimeBasis::Matrix => "read from the study's travel-time matrix ([travel] matrix), computed by another tool; pairs it does not give are unreachable",
            },
            "network": network_json,
            "transit": transit_json,
            "travel_matrix": study.travel_matrix.as_ref().map(|t| json!({
                "file": t.path.file_name().map(|f| f.to_string_lossy().to_string()),
                "sha256": t.sha256,
                "rows": t.rows,
                "rows_skipped": t.skipped,
                "pairs_used": t.by_mode.iter().map(Vec::len).sum::<usize>(),
            })),
            "modes": study.modes.iter().map(|m| json!({
                "mode": m.mode.name(), "speed_kmh": m.speed_kmh, "circuity": m.circuity
            })).collect::<Vec<_>>(),
            "bands_minutes": study.bands,
            "per_kind": study.per_kind,
            "unique_population": "people for whom the site is the only open site of its kind within the band",
            "demand_attribution": "the record's site where given, else the nearest open site offering its service",
            "demand_years": study.demand_years,
            "suppress_below": study.suppress_below,
            "decide": rules.parameters().into_iter().map(|(k, v)| (k.to_string(), v)).collect::<serde_json::Map<String, serde_json::Value>>(),
        },
        "counts": {
            "zones": study.zones.len(),
            "zones_with_polygons": study.zones.iter().filter(|z| z.polygon.is_some()).count(),
            "population": study.population(),
            "sites": study.sites.len(),
            "sites_by_kind": kinds,
            "sites_candidate": study.sites.iter().filter(|s| s.candidate).count(),
            "sites_clipped": study.report.sites_clipped,
            "demand_rows": study.report.demand_rows,
            "demand_rows_placed": study.report.demand_rows_placed,
            "demand_rows_skipped": skipped,
            "demand_contacts": study.demand.total,
            "demand_contacts_unattributed": study.demand.unattributed,
        },
        "warnings": study.report.warnings.iter().chain(network.iter().flat_map(|n| &n.warnings)).collect::<Vec<_>>(),
        "formats": formats,
        "outputs": outputs.iter().map(|(f, h)| json!({"file": f, "sha256": h})).collect::<Vec<_>>(),
        "threads": rayon::current_num_threads(),
        "timings_ms": times,
    });
    let mut s = serde_json::to_string_pretty(&v).expect("json serialises");
    s.push('\n');
    s
}
