//! The study file: one TOML file naming the inputs, how their columns map onto frontdoor's fields,
//! and the parameters of the run. Every path in it is relative to the file itself.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::error::{Error, Location, Problem, Result};
use crate::mode::Mode;

/// Where a field's values come from: a column of the input, or one value for every row.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldSpec {
    /// The user's column name.
    Column(String),
    /// A constant for the whole file, written `{ value = ... }`.
    Constant(String),
}

impl<'de> Deserialize<'de> for FieldSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FieldSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a column name (\"name\") or a constant ({ value = ... })")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<FieldSpec, E> {
                Ok(FieldSpec::Column(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut m: A,
            ) -> std::result::Result<FieldSpec, A::Error> {
                let mut value: Option<String> = None;
                while let Some(k) = m.next_key::<String>()? {
                    if k != "value" {
                        return Err(de::Error::custom(format!(
                            "unknown key `{k}`: a constant is written {{ value = ... }}"
                        )));
                    }
                    let v: toml::Value = m.next_value()?;
                    value = Some(match v {
                        toml::Value::String(s) => s,
                        toml::Value::Integer(i) => i.to_string(),
                        toml::Value::Float(x) => x.to_string(),
                        toml::Value::Boolean(b) => b.to_string(),
                        other => {
                            return Err(de::Error::custom(format!(
                                "a constant must be a string, number or boolean, found {}",
                                other.type_str()
                            )))
                        }
                    });
                }
                value
                    .map(FieldSpec::Constant)
                    .ok_or_else(|| de::Error::missing_field("value"))
            }
        }
        d.deserialize_any(V)
    }
}

/// A row filter: keep rows whose column equals one of the listed values (compared as text).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum FilterValue {
    /// Several accepted values.
    Any(Vec<toml::Value>),
    /// One accepted value.
    One(toml::Value),
}

impl FilterValue {
    /// The accepted values as text.
    pub fn values(&self) -> Vec<String> {
        fn text(v: &toml::Value) -> String {
            match v {
                toml::Value::String(s) => s.clone(),
                other => other.to_string(),
            }
        }
        match self {
            FilterValue::One(v) => vec![text(v)],
            FilterValue::Any(vs) => vs.iter().map(text).collect(),
        }
    }
}

/// The file format of an input, normally taken from its extension.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// Apache Parquet.
    Parquet,
    /// GeoJSON FeatureCollection (RFC 7946, or legacy with a `crs` member).
    Geojson,
    /// A spreadsheet: Excel (.xlsx, .xlsm, .xls) or OpenDocument (.ods), one sheet.
    Xlsx,
    /// A GeoPackage (.gpkg), one feature layer.
    Gpkg,
}

/// Zone polygons kept in a separate file and joined to the zones by id.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Boundaries {
    /// Path of a GeoJSON (or other table with geometry) of zone polygons.
    pub path: PathBuf,
    /// Column of the zone id in that file.
    #[serde(default = "default_id")]
    pub id: String,
    /// CRS of the file (GeoJSON is WGS84 unless it says otherwise).
    pub crs: Option<String>,
}

fn default_id() -> String {
    "id".into()
}

/// The zones input: small areas with their population profile.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZonesInput {
    /// Path to the file (CSV, Parquet or GeoParquet, GeoJSON, a spreadsheet or a GeoPackage).
    pub path: PathBuf,
    /// Format, when the extension does not say.
    pub format: Option<Format>,
    /// The sheet of a spreadsheet or the layer of a GeoPackage (default: the first sheet, the
    /// only layer).
    pub layer: Option<String>,
    /// CRS of the coordinates (default EPSG:4326 for lon/lat and GeoJSON).
    pub crs: Option<String>,
    /// Keep only rows matching these column values.
    #[serde(default)]
    pub filter: BTreeMap<String, FilterValue>,
    /// Zone id (default column `id`).
    pub id: Option<FieldSpec>,
    /// Zone name (default column `name`, optional).
    pub name: Option<FieldSpec>,
    /// Population (default column `population`).
    pub population: Option<FieldSpec>,
    /// Easting column (projected CRS).
    pub x: Option<FieldSpec>,
    /// Northing column (projected CRS).
    pub y: Option<FieldSpec>,
    /// Longitude column.
    pub lon: Option<FieldSpec>,
    /// Latitude column.
    pub lat: Option<FieldSpec>,
    /// Numeric profile columns carried through (e.g. `age_65_plus`).
    #[serde(default)]
    pub profile: Vec<String>,
    /// Profile columns that count vulnerable groups (each must also be in `profile`).
    #[serde(default)]
    pub vulnerable: Vec<String>,
    /// Polygons joined to the zones by id, when the zones file has points only.
    pub boundaries: Option<Boundaries>,
}

/// A sites input: buildings and street furniture of one or more agencies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SitesInput {
    /// Path to the file.
    pub path: PathBuf,
    /// Format, when the extension does not say.
    pub format: Option<Format>,
    /// The sheet of a spreadsheet or the layer of a GeoPackage (default: the first sheet, the
    /// only layer).
    pub layer: Option<String>,
    /// CRS of the coordinates.
    pub crs: Option<String>,
    /// Keep only rows matching these column values.
    #[serde(default)]
    pub filter: BTreeMap<String, FilterValue>,
    /// Drop sites further than this many kilometres from every zone point (for national files).
    pub clip_to_zones_km: Option<f64>,
    /// Whether the study assesses these sites for keep/share/close (default true). `false`
    /// makes every site of the file context: it counts for residents' reach (a neighbouring
    /// authority's library, say) and is never recommended.
    pub assess: Option<bool>,
    /// Site id (default column `id`).
    pub id: Option<FieldSpec>,
    /// Site name (default column `name`).
    pub name: Option<FieldSpec>,
    /// Owning agency (default column `agency`).
    pub agency: Option<FieldSpec>,
    /// Kind of site: library, gp_practice, bus_stop... (default column `kind`).
    pub kind: Option<FieldSpec>,
    /// Easting column.
    pub x: Option<FieldSpec>,
    /// Northing column.
    pub y: Option<FieldSpec>,
    /// Longitude column.
    pub lon: Option<FieldSpec>,
    /// Latitude column.
    pub lat: Option<FieldSpec>,
    /// Services offered, `;`-separated.
    pub services: Option<FieldSpec>,
    /// Annual running cost.
    pub annual_cost: Option<FieldSpec>,
    /// Capacity in visits a year.
    pub capacity: Option<FieldSpec>,
    /// Floor area in square metres.
    pub floor_area_m2: Option<FieldSpec>,
    /// Opening hours a week.
    pub opening_hours: Option<FieldSpec>,
    /// Tenure (freehold, leasehold...).
    pub tenure: Option<FieldSpec>,
    /// Lease end date.
    pub lease_end: Option<FieldSpec>,
    /// Condition grade.
    pub condition: Option<FieldSpec>,
    /// Must be kept (true/false).
    pub fixed: Option<FieldSpec>,
    /// A possible new site, absent from the baseline (true/false).
    pub candidate: Option<FieldSpec>,
}

/// A demand input: records of service contacts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandInput {
    /// Path to the file.
    pub path: PathBuf,
    /// Format, when the extension does not say.
    pub format: Option<Format>,
    /// The sheet of a spreadsheet or the layer of a GeoPackage (default: the first sheet, the
    /// only layer).
    pub layer: Option<String>,
    /// CRS of point coordinates.
    pub crs: Option<String>,
    /// Keep only rows matching these column values.
    #[serde(default)]
    pub filter: BTreeMap<String, FilterValue>,
    /// Service name (default column `service`).
    pub service: Option<FieldSpec>,
    /// Service category (default column `category`).
    pub category: Option<FieldSpec>,
    /// Contact channel (default column `channel`).
    pub channel: Option<FieldSpec>,
    /// Easting of the contact.
    pub x: Option<FieldSpec>,
    /// Northing of the contact.
    pub y: Option<FieldSpec>,
    /// Longitude of the contact.
    pub lon: Option<FieldSpec>,
    /// Latitude of the contact.
    pub lat: Option<FieldSpec>,
    /// Zone id of the contact (default column `zone`).
    pub zone: Option<FieldSpec>,
    /// Site id where the contact was served (default column `site`).
    pub site: Option<FieldSpec>,
    /// Date of the contact (default column `date`).
    pub date: Option<FieldSpec>,
    /// Number of contacts the row stands for (default column `count`, else 1).
    pub count: Option<FieldSpec>,
}

/// Speed and circuity of one mode for straight-line estimates.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModeSettings {
    /// Average speed in km/h.
    pub speed_kmh: Option<f64>,
    /// Network distance / straight-line distance.
    pub circuity: Option<f64>,
}

/// Travel settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TravelInput {
    /// Modes to measure (default walk, cycle, drive).
    pub modes: Option<Vec<Mode>>,
    /// Time bands in minutes (default 10, 20, 30).
    pub bands: Option<Vec<u32>>,
    /// Also report nearest site and sites within bands per site kind.
    #[serde(default)]
    pub per_kind: bool,
    /// An OpenStreetMap extract (.osm.pbf, .osm or .osm.gz) for network travel times.
    pub network: Option<PathBuf>,
    /// Travel times from another tool (a long table zone_id, site_id, minutes[, mode], CSV or
    /// Parquet), used in place of frontdoor's routing.
    pub matrix: Option<PathBuf>,
    /// Points further than this from the network (metres) are not joined to it (default 1000).
    pub snap_limit_m: Option<f64>,
    /// A folder for the routing graphs' caches (default: beside the OpenStreetMap file).
    pub cache_dir: Option<PathBuf>,
    /// Walking speed and circuity.
    pub walk: Option<ModeSettings>,
    /// Cycling speed and circuity.
    pub cycle: Option<ModeSettings>,
    /// Driving speed and circuity.
    pub drive: Option<ModeSettings>,
    /// GTFS feeds (zip files or folders) for the `transit` mode.
    pub gtfs: Option<Vec<PathBuf>>,
    /// The departure window and limits of the `transit` mode.
    pub transit: Option<TransitInput>,
}

/// `[travel.transit]`: when people leave and how far they walk (see `TransitSettings`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitInput {
    /// `YYYY-MM-DDTHH:MM`, feed local time: the service day and the first departure.
    pub departure: Option<String>,
    /// Minutes of departures, one a minute (default 60).
    pub window_minutes: Option<u32>,
    /// Percentiles of travel time over the window (default [50]).
    pub percentiles: Option<Vec<u32>>,
    /// Longest walk to the first stop and from the last, minutes (default 15).
    pub max_access_minutes: Option<f64>,
    /// Longest walk between stops, metres (default 1000).
    pub max_transfer_m: Option<f64>,
    /// Most vehicles boarded in a journey (default 8).
    pub max_rides: Option<u32>,
    /// Random phases drawn for frequency-based trips (default 10).
    pub draws: Option<u32>,
}

/// Disclosure control for published outputs.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyInput {
    /// Demand counts from 1 to this value minus one are suppressed in outputs.
    pub suppress_below: Option<u32>,
}

/// Which formats the outputs are written in, as written (resolved by the render stage).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputInput {
    /// Any of `csv`, `geojson`, `geoparquet`, `gpkg` (default `["csv", "geojson"]`).
    pub formats: Option<Vec<String>>,
}

/// What the overview map shows.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapInput {
    /// Shade zones by minutes by this mode (default: the first mode).
    pub mode: Option<Mode>,
    /// Shade zones by minutes to the nearest site of this kind (default: any site).
    pub kind: Option<String>,
}

/// One accessibility measure (see the `access` module for the formulas).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessInput {
    /// Name of the measure; its columns are `access_<name>` and `access_<name>_normalised`
    /// (default `<method>_<mode>`, with the service where one is named).
    pub name: Option<String>,
    /// `cumulative`, `gravity`, `2sfca`, `e2sfca`, `3sfca` or `fca_ratio`.
    pub method: String,
    /// Travel mode (default: the study's first).
    pub mode: Option<Mode>,
    /// Only sites offering this service (default: every open site).
    pub service: Option<String>,
    /// Supply per site: `one` (default), `capacity`, `opening_hours`, `floor_area_m2` or
    /// `annual_cost`.
    pub supply: Option<String>,
    /// Demand per zone: `population` (default) or a profile column.
    pub demand: Option<String>,
    /// Catchment limit in minutes (default: the largest band; at most the largest band).
    pub max_minutes: Option<f64>,
    /// Weight function: `none`, `step`, `gravity` or `gaussian` (default by method).
    pub decay: Option<String>,
    /// Step weights as `[[minutes, weight], ...]`, ascending minutes.
    pub steps: Option<Vec<(f64, f64)>>,
    /// Gravity: the scale minutes are divided by (default 1).
    pub scale: Option<f64>,
    /// Gravity: the power (default -1; not negated for you).
    pub alpha: Option<f64>,
    /// Gravity: costs below this many minutes count as this (default 1).
    pub min_minutes: Option<f64>,
    /// Gaussian: σ in minutes.
    pub sigma: Option<f64>,
}

/// The study file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyFile {
    /// Name of the study, shown in outputs.
    pub name: String,
    /// How zone- and point-coded demand (records that do not say where they were served) is
    /// given to sites: `"nearest"` (default) or `"huff"`, or a table
    /// `{ model = "huff", beta = 2, attractiveness = "capacity" }`.
    pub assignment: Option<AssignmentInput>,
    /// How money is written in outputs: a symbol or an ISO code such as "BRL" (default "£" for a
    /// study worked in British National Grid, else plain numbers).
    pub currency: Option<String>,
    /// Working CRS (a metric EPSG code); default BNG in Great Britain, else the local UTM zone.
    pub crs: Option<String>,
    /// Attribution lines for the data, shown on maps and in reports.
    #[serde(default)]
    pub attribution: Vec<String>,
    /// How many years the demand records cover (default 1), to turn counts into annual figures.
    pub demand_years: Option<f64>,
    /// The zones.
    pub zones: ZonesInput,
    /// The sites, one entry per file.
    pub sites: Vec<SitesInput>,
    /// The demand records, one entry per file.
    #[serde(default)]
    pub demand: Vec<DemandInput>,
    /// Travel settings.
    pub travel: Option<TravelInput>,
    /// Disclosure control.
    #[serde(default)]
    pub privacy: PrivacyInput,
    /// The overview map.
    #[serde(default)]
    pub map: MapInput,
    /// Accessibility measures written per zone.
    #[serde(default)]
    pub access: Vec<AccessInput>,
    /// The rules and thresholds of the keep/share/close/open recommendations.
    #[serde(default)]
    pub decide: DecideInput,
    /// The formats of the outputs.
    #[serde(default)]
    pub output: OutputInput,
}

/// The settings of the stages after loading, as written in the study file: each stage
/// resolves and checks its own (`access::resolve_measures`, `decide::rules::resolve_rules`).
#[derive(Debug, Clone, Default)]
pub struct StageSettings {
    /// The `[[access]]` entries.
    pub access: Vec<AccessInput>,
    /// The `[decide]` section.
    pub decide: DecideInput,
    /// The `[output]` section.
    pub output: OutputInput,
}

/// How demand is given to sites, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AssignmentInput {
    /// `"nearest"` or `"huff"` with the defaults.
    Model(String),
    /// The model with its parameters.
    Table(AssignmentTable),
}

/// The assignment model with its parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentTable {
    /// `nearest` or `huff`.
    pub model: String,
    /// Huff: the distance-decay exponent (default 2).
    pub beta: Option<f64>,
    /// Huff: a site's attractiveness, `capacity` (default; 1 where a site has none) or `one`.
    pub attractiveness: Option<String>,
}

/// The rules of the decision layer (see the `decide` module; every field has a default).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideInput {
    /// The travel mode decisions are made by (default: walk if the study has it, else the first).
    pub mode: Option<Mode>,
    /// The band, in minutes, that is a site's catchment (default: the middle band).
    pub minutes: Option<u32>,
    /// Kinds that are street furniture, not buildings: never closed or shared, possible hosts of
    /// digital points (default: bus_stop, kiosk, phone_box).
    pub street_furniture: Option<Vec<String>>,
    /// Kinds of partner sites that may host a digital or assisted-digital point besides street
    /// furniture (default: gp_practice, pharmacy).
    pub digital_point_hosts: Option<Vec<String>>,
    /// Kinds never recommended for closure or for moving out (partners' clinical sites): they
    /// are kept and may host shares and digital points (default: gp_practice, pharmacy,
    /// hospital).
    pub never_close: Option<Vec<String>>,
    /// Close only if at least this share of the catchment keeps every service of the site at
    /// another site within the band (default 0.9).
    pub close_min_overlap: Option<f64>,
    /// Close (or share) only if at most this many people lose a service within the band
    /// (default 500).
    pub close_max_losing: Option<f64>,
    /// Keep a site whose face-to-face contacts are more than this share "right first time"
    /// (facilitated or advocacy) (default 0.5).
    pub close_max_right_first_time: Option<f64>,
    /// Close a site whose face-to-face contacts a year are at most this many and mostly once
    /// and done (see `close_max_right_first_time`): they can move to digital or phone, whatever
    /// the overlap (default 1000; 0 turns the rule off).
    pub digital_max_contacts: Option<f64>,
    /// Sites of different agencies within this many minutes' walk of each other may share
    /// (default 10).
    pub share_minutes: Option<f64>,
    /// Where host and guests both give a floor area, the guests' together may be at most this
    /// times the host's (default 2: most of a vacated building is not needed at the host, but a
    /// host under half the size of what moves in is not plausible).
    pub share_max_floor_ratio: Option<f64>,
    /// At most this many guests per host (default 3).
    pub share_max_guests: Option<usize>,
    /// A zone is far when its nearest front door is more than this many minutes away (default:
    /// `minutes`; at most the largest band).
    pub far_minutes: Option<u32>,
    /// A far zone is a hot spot when its demand per head, or a vulnerable group's share of its
    /// population, is at least this many times the study's (default 1.5).
    pub hot_spot_ratio: Option<f64>,
    /// How many new sites the gap analysis proposes (default 3).
    pub new_sites: Option<usize>,
    /// Which kinds of building may host which: kind = [kinds or services it may take in].
    /// Kinds listed replace their defaults; kinds absent keep them (see `decide::rules`).
    pub hosts: Option<BTreeMap<String, Vec<String>>>,
    /// Per service (as named in the demand records): whether its face-to-face contacts can
    /// move to digital or phone (`true`) or need people (`false`), whatever the category says;
    /// e.g. `{ "library services" = false }`.
    pub digital: Option<BTreeMap<String, bool>>,
}

/// Reads and parses a study file, reporting TOML errors with their line and column.
/// Also returns the file's text, so that it is read once (its fingerprint goes in run.json).
pub fn read_study_file(path: &Path) -> Result<(StudyFile, String)> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::problem(Problem::file(
            path,
            format!("cannot read the study file: {e}"),
        ))
    })?;
    Ok((parse_study_text(path, &text)?, text))
}

/// Parses the text of a study file (the path is only used in messages).
pub fn parse_study_text(path: &Path, text: &str) -> Result<StudyFile> {
    parse_toml(path, text)
}

/// serde's names of Rust types in a message, in words a user knows.
fn plain_types(message: &str) -> String {
    let mut m = message.to_string();
    for (rust, plain) in [
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected usize", "expected a whole number, 0 or more"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected a boolean", "expected true or false"),
    ] {
        if m.ends_with(rust) || m.contains(&format!("{rust}\n")) {
            m = m.replace(rust, plain);
        }
    }
    m
}

/// Parses a TOML file (study or scenario); errors give the line and column, and the key.
pub fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    let parsed = toml::de::Deserializer::parse(text)
        .map_err(|e| (e, String::new()))
        .and_then(|de| {
            serde_path_to_error::deserialize::<_, T>(de).map_err(|e| {
                let key = e.path().to_string();
                (e.into_inner(), key)
            })
        });
    parsed.map_err(|(e, key)| {
        let location = e.span().map(|span| {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.len() - before.rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
            Location::Line { line, column }
        });
        let message = plain_types(e.message());
        let message = match key.as_str() {
            "" | "." | "?" => message,
            k if message.contains(k) => message,
            k => format!("key {k}: {message}"),
        };
        Error::problem(Problem {
            file: path.to_path_buf(),
            location,
            field: None,
            message,
        })
    })
}
