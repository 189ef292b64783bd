//! `frontdoor merge`'s first step: every part's travel-time matrix read back against the whole
//! study, checked (each part finished on its current study file, each zone's times from its own
//! part only, every zone in one part), and joined into the whole study's travel times.

use std::collections::HashMap;
use std::path::Path;

use super::manifest::Manifest;
use crate::error::{Error, Result};
use rayon::prelude::*;

use crate::mode::Mode;
use crate::model::{InputFile, Study, TravelMatrix};
use crate::reach::matrix_times;
use crate::times::{ModeTimes, TimeBasis};

/// The whole study's travel times, from the parts of the partition in `dir`; each part's
/// matrix is recorded among `inputs`.
pub(crate) fn joined_times(
    study: &Study,
    dir: &Path,
    inputs: &mut Vec<InputFile>,
) -> Result<Vec<ModeTimes>> {
    let manifest = Manifest::read(dir)?;
    manifest.check_study(study)?;
    let zone_part = zone_parts(study, &manifest, dir)?;
    let outs = manifest
        .parts
        .iter()
        .map(|p| finished_part(dir, &p.name))
        .collect::<Result<Vec<_>>>()?;
    let ids = PartIds::new(study);
    // Each part's matrix read (typed, in parallel), then joined in part order.
    let read: Vec<(ByMode, InputFile)> = outs
        .par_iter()
        .enumerate()
        .map(|(i, out)| {
            let path = out.join("matrix.parquet");
            let (pairs, input) = read_part_matrix(&path, &ids)?;
            for list in &pairs {
                if let Some(&(_, z, _)) = list.iter().find(|p| zone_part[p.1 as usize] != i) {
                    return Err(Error::Usage(format!(
                        "{}: gives times for zone {} of {}, not of {}; the partition is not the one its parts were measured from: partition again",
                        path.display(),
                        study.zones[z as usize].id,
                        manifest.parts[zone_part[z as usize]].name,
                        manifest.parts[i].name
                    )));
                }
            }
            Ok((pairs, input))
        })
        .collect::<Result<_>>()?;
    let mut by_mode: Vec<Vec<(u32, u32, f64)>> = vec![Vec::new(); study.modes.len()];
    let mut rows = 0;
    for (pairs, input) in read {
        rows += input.rows;
        inputs.push(input);
        for (mode, list) in pairs.into_iter().enumerate() {
            by_mode[mode].extend(list);
        }
    }
    for list in &mut by_mode {
        list.sort_unstable_by_key(|&(s, z, _)| (s, z));
    }
    let joined = TravelMatrix {
        path: dir.to_path_buf(),
        sha256: String::new(),
        rows,
        skipped: 0,
        by_mode,
    };
    Ok((0..study.modes.len())
        .map(|m| ModeTimes {
            basis: basis(study, m),
            ..matrix_times(study, &joined, m)
        })
        .collect())
}

/// How the whole study's own run would have found mode `m`'s times: the parts found them so.
fn basis(study: &Study, m: usize) -> TimeBasis {
    match (&study.network, &study.travel_matrix) {
        (_, Some(_)) => TimeBasis::Matrix,
        (Some(_), None) if study.modes[m].mode == Mode::Transit => TimeBasis::PublicTransport,
        (Some(_), None) => TimeBasis::Network,
        (None, None) => TimeBasis::StraightLine,
    }
}

/// Refuses a partition any of whose parts has not been measured on its current study file.
pub(crate) fn check_finished(dir: &Path, manifest: &Manifest) -> Result<()> {
    for part in &manifest.parts {
        finished_part(dir, &part.name)?;
    }
    Ok(())
}

/// Per study zone, the part that holds it; every zone must be in exactly one part.
fn zone_parts(study: &Study, manifest: &Manifest, dir: &Path) -> Result<Vec<usize>> {
    let index: HashMap<&str, usize> = study
        .zones
        .iter()
        .enumerate()
        .map(|(i, z)| (z.id.as_str(), i))
        .collect();
    let mut part = vec![usize::MAX; study.zones.len()];
    for (p, entry) in manifest.parts.iter().enumerate() {
        for id in &entry.zones {
            let bad = |what: &str| {
                Error::Usage(format!(
                    "{}: {} {what} zone \"{id}\"; partition the study again",
                    dir.join(super::manifest::FILE).display(),
                    entry.name
                ))
            };
            let &z = index
                .get(id.as_str())
                .ok_or_else(|| bad("names an unknown"))?;
            if part[z] != usize::MAX {
                return Err(bad("repeats the"));
            }
            part[z] = p;
        }
    }
    if let Some(z) = part.iter().position(|&p| p == usize::MAX) {
        return Err(Error::Usage(format!(
            "{}: no part holds zone \"{}\"; partition the study again",
            dir.join(super::manifest::FILE).display(),
            study.zones[z].id
        )));
    }
    Ok(part)
}

/// A part's output folder, once its run has finished on its current study file.
fn finished_part(dir: &Path, name: &str) -> Result<std::path::PathBuf> {
    let part = dir.join(name);
    let out = part.join("out");
    let measure = format!(
        "measure it with `frontdoor reach {} --out {}` (or run the partition on Ray: ray/frontdoor_ray.py)",
        part.join("study.toml").display(),
        out.display()
    );
    let run_json = out.join("run.json");
    let text = std::fs::read(&run_json).map_err(|_| {
        Error::Usage(format!(
            "{name} has not been measured ({} is missing): {measure}",
            run_json.display()
        ))
    })?;
    let study_toml = std::fs::read(part.join("study.toml"))
        .map_err(|e| Error::io(&part.join("study.toml"), e))?;
    let run: serde_json::Value = serde_json::from_slice(&text)
        .map_err(|e| Error::Usage(format!("{}: {e}: {measure}", run_json.display())))?;
    if run["study"]["sha256"].as_str() != Some(crate::fingerprint::sha256(&study_toml).as_str()) {
        return Err(Error::Usage(format!(
            "{name}: its output was measured from another study file than {}: {measure}",
            part.join("study.toml").display()
        )));
    }
    if !out.join("matrix.parquet").is_file() {
        return Err(Error::Usage(format!(
            "{name}: {} holds no matrix.parquet (was it `frontdoor reach`?): {measure}",
            out.display()
        )));
    }
    Ok(out)
}

/// Per study mode: (site, zone, minutes).
type ByMode = Vec<Vec<(u32, u32, f64)>>;

/// The study's zones, sites and modes by the names a part's matrix gives them.
struct PartIds<'a> {
    zones: HashMap<&'a str, u32>,
    sites: HashMap<&'a str, u32>,
    modes: Vec<&'static str>,
}

impl<'a> PartIds<'a> {
    fn new(study: &'a Study) -> PartIds<'a> {
        let ix = |ids: Vec<&'a str>| {
            ids.into_iter()
                .enumerate()
                .map(|(i, id)| (id, i as u32))
                .collect()
        };
        PartIds {
            zones: ix(study.zones.iter().map(|z| z.id.as_str()).collect()),
            sites: ix(study.sites.iter().map(|s| s.id.as_str()).collect()),
            modes: study.modes.iter().map(|m| m.mode.name()).collect(),
        }
    }
}

/// A part's matrix.parquet (frontdoor's own: `zone`, `site`, `mode`, `minutes`), read with its
/// columns' types: per study mode, (site, zone, minutes); and its record as an input.
fn read_part_matrix(path: &Path, ids: &PartIds) -> Result<(ByMode, InputFile)> {
    use polars::prelude::*;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let bad = |what: String| {
        Error::Usage(format!(
            "{}: {what}; measure the part again with `frontdoor reach`",
            path.display()
        ))
    };
    let df = ParquetReader::new(std::io::Cursor::new(&bytes))
        .with_columns(Some(
            ["zone", "site", "mode", "minutes"]
                .map(String::from)
                .to_vec(),
        ))
        .finish()
        .map_err(|e| bad(format!("not a matrix.parquet frontdoor wrote ({e})")))?;
    let text = |c: &str| -> Result<StringChunked> {
        let col = df.column(c).map_err(|e| bad(e.to_string()))?;
        col.str()
            .cloned()
            .map_err(|e| bad(format!("column {c}: {e}")))
    };
    let (zone, site, mode) = (text("zone")?, text("site")?, text("mode")?);
    let minutes = df
        .column("minutes")
        .and_then(|c| c.f64().cloned())
        .map_err(|e| bad(format!("column minutes: {e}")))?;
    let mut by_mode: Vec<Vec<(u32, u32, f64)>> = vec![Vec::new(); ids.modes.len()];
    let rows = df.height();
    for (i, (((z, s), m), t)) in zone
        .iter()
        .zip(site.iter())
        .zip(mode.iter())
        .zip(minutes.iter())
        .enumerate()
    {
        let row = || format!("row {}", i + 1);
        let z = z.and_then(|z| ids.zones.get(z)).ok_or_else(|| {
            bad(format!(
                "{}: zone {:?} is not a zone of the study",
                row(),
                z
            ))
        })?;
        let s = s.and_then(|s| ids.sites.get(s)).ok_or_else(|| {
            bad(format!(
                "{}: site {:?} is not a site of the study",
                row(),
                s
            ))
        })?;
        let m = m
            .and_then(|m| ids.modes.iter().position(|n| *n == m))
            .ok_or_else(|| {
                bad(format!(
                    "{}: mode {:?} is not one the study measures",
                    row(),
                    m
                ))
            })?;
        let t = t.filter(|t| t.is_finite() && *t >= 0.0).ok_or_else(|| {
            bad(format!(
                "{}: minutes {t:?} is not a number of zero or more",
                row()
            ))
        })?;
        by_mode[m].push((*s, *z, t));
    }
    let input = InputFile {
        role: "part's travel times",
        path: path.to_path_buf(),
        sha256: crate::fingerprint::sha256(&bytes),
        bytes: bytes.len() as u64,
        rows,
        used: rows,
    };
    Ok((by_mode, input))
}
