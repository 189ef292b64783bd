//! Loading a study: the study file read, then zones (which decide the working CRS), sites and
//! demand, every problem of every input reported together.

use std::path::Path;

use super::{check, demand, matrix, sites, zones, LoadOptions};
use crate::crs::Crs;
use crate::error::{Error, Problem, Result};
use crate::load::settings::{read_study_file, StageSettings};
use crate::model::{GraphCache, LoadReport, Study};

/// Loads and checks a study. Every problem found in the inputs is returned together. The
/// settings of the later stages (`[[access]]`, `[decide]`) are not checked here: see
/// `load_study_with_settings`.
pub fn load_study(path: &Path, options: &LoadOptions) -> Result<Study> {
    load_study_with_settings(path, options).map(|(study, _)| study)
}

/// Loads and checks a study, and returns with it the settings of the later stages as written,
/// for those stages to resolve.
pub fn load_study_with_settings(
    path: &Path,
    options: &LoadOptions,
) -> Result<(Study, StageSettings)> {
    let (file, text) = read_study_file(path)?;
    let sha256 = crate::fingerprint::sha256(text.as_bytes());
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut problems = Vec::new();
    let mut inputs = Vec::new();
    let mut report = LoadReport::default();

    let settings = check::check_settings(path, &file, &mut problems);
    let assignment = check::assignment(path, &file, &mut problems);

    // Zones first: they decide the working CRS.
    let zones = zones::load_zones(
        &dir,
        &file.zones,
        file.crs.as_deref(),
        path,
        &mut inputs,
        &mut report,
    );
    let (zones, crs, profile, vulnerable) = match zones {
        Ok(z) => z,
        Err(mut p) => {
            problems.append(&mut p);
            // Still read the other inputs to report their problems too.
            let crs = Crs::wgs84();
            for s in &file.sites {
                if let Err(mut p) = sites::load_sites_file(&dir, s, &crs, &mut inputs) {
                    problems.append(&mut p);
                }
            }
            return Err(Error::Input(problems));
        }
    };

    let sites = sites::load_sites(
        &dir,
        &file.sites,
        &crs,
        &zones,
        &mut inputs,
        &mut report,
        &mut problems,
    );
    if sites.is_empty() && problems.is_empty() {
        problems.push(Problem::file(
            path,
            "the study has no sites: add a [[sites]] input with rows",
        ));
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    let mut kinds: Vec<String> = sites.iter().map(|s| s.kind.clone()).collect();
    kinds.sort();
    kinds.dedup();

    // Huff's choice among the sites within the largest band of the first mode (straight line:
    // the network is not built yet).
    let choice = settings.as_ref().map(|(modes, bands, _)| demand::Choice {
        assignment,
        mode: modes[0],
        max_minutes: bands.largest() as f64,
    });
    let demand_files = if options.skip_demand {
        fingerprint_only(&dir, &file.demand, &mut inputs)?;
        &[][..]
    } else {
        &file.demand[..]
    };
    let demand = demand::load_demand(
        &dir,
        demand_files,
        &zones,
        &sites,
        &crs,
        options,
        choice.as_ref(),
        &mut inputs,
        &mut report,
    )?;

    let (modes, bands, transit) = settings.ok_or_else(|| Error::Input(problems.clone()))?;
    check::check_references(path, &dir, &file, &kinds, &modes)?;
    let travel_matrix = match file.travel.as_ref().and_then(|t| t.matrix.as_ref()) {
        Some(m) => Some(matrix::load_matrix(
            &dir,
            m,
            &matrix::Ids {
                zones: &zones,
                sites: &sites,
                modes: &modes,
            },
            options.strict,
            &mut inputs,
            &mut report,
        )?),
        None => None,
    };
    let later = StageSettings {
        access: file.access.clone(),
        decide: file.decide.clone(),
        output: file.output.clone(),
    };
    let currency = file
        .currency
        .clone()
        .or_else(|| (crs == Crs::bng()).then(|| "£".to_string()));
    let study = Study {
        name: file.name.clone(),
        path: path.to_path_buf(),
        sha256,
        crs,
        attribution: file.attribution.clone(),
        zones,
        profile,
        vulnerable,
        sites,
        kinds,
        demand,
        demand_years: file.demand_years.unwrap_or(1.0),
        modes,
        bands,
        per_kind: file.travel.as_ref().is_some_and(|t| t.per_kind),
        network: file
            .travel
            .as_ref()
            .and_then(|t| t.network.as_ref())
            .map(|n| dir.join(n)),
        snap_limit_m: file
            .travel
            .as_ref()
            .and_then(|t| t.snap_limit_m)
            .unwrap_or(1000.0),
        travel_matrix,
        graph_cache: match file.travel.as_ref().and_then(|t| t.cache_dir.as_ref()) {
            Some(d) => GraphCache::Folder(dir.join(d)),
            None => GraphCache::BesideNetwork,
        },
        transit,
        currency,
        assignment,
        suppress_below: file.privacy.suppress_below.unwrap_or(0),
        map_mode: file.map.mode,
        map_kind: file.map.kind.clone(),
        inputs,
        report,
    };
    Ok((study, later))
}

/// Records the demand files among the inputs by their fingerprints alone, unread.
fn fingerprint_only(
    dir: &Path,
    files: &[crate::load::settings::DemandInput],
    inputs: &mut Vec<crate::model::InputFile>,
) -> Result<()> {
    for d in files {
        let path = dir.join(&d.path);
        let bytes = std::fs::metadata(&path)
            .map_err(|e| Error::io(&path, e))?
            .len();
        inputs.push(crate::model::InputFile {
            role: "demand",
            path: d.path.clone(),
            sha256: crate::fingerprint::sha256_of_file(&path)?,
            bytes,
            rows: 0,
            used: 0,
        });
    }
    Ok(())
}
