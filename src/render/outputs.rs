//! The outputs of one command as they are staged: files in the chosen [`Formats`], spatial
//! layers written once per format, and the GeoPackage of every layer built last. Files of a
//! format not chosen are held in memory only where report.html is built from them, and not
//! made at all otherwise.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::render::feature::Layer;
use crate::render::formats::{Formats, GPKG_FILE};
use crate::render::gpkg::{self, Style};
use crate::render::{geojson, geoparquet, OutputDir};

/// A command's outputs being staged into an [`OutputDir`].
pub struct Outputs {
    dir: OutputDir,
    formats: Formats,
    /// Files of formats not chosen, by name.
    held: BTreeMap<String, Vec<u8>>,
    /// Layers waiting for the GeoPackage (only when it is chosen).
    layers: Vec<Layer>,
    styles: Vec<Style>,
}

impl Outputs {
    /// Outputs staged into `dir` in `formats`.
    pub fn new(dir: OutputDir, formats: Formats) -> Outputs {
        Outputs {
            dir,
            formats,
            held: BTreeMap::new(),
            layers: Vec::new(),
            styles: Vec::new(),
        }
    }

    /// The formats chosen.
    pub fn formats(&self) -> Formats {
        self.formats
    }

    /// Writes one file; of a format not chosen, holds it when the report reads it, else
    /// drops it.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        if self.formats.keeps(name) {
            self.dir.write(name, bytes)
        } else {
            super::finite::check(name, bytes)?;
            if Self::for_report(name) {
                self.held.insert(name.to_string(), bytes.to_vec());
            }
            Ok(())
        }
    }

    /// Whether report.html is built from the file of this name.
    fn for_report(name: &str) -> bool {
        super::report::SOURCES.contains(&name)
    }

    /// The bytes of a file written or held.
    pub fn read(&self, name: &str) -> Result<Vec<u8>> {
        match self.held.get(name) {
            Some(b) => Ok(b.clone()),
            None => self.dir.read(name),
        }
    }

    /// Writes a spatial layer as GeoJSON (kept or held), GeoParquet and into the GeoPackage,
    /// as chosen, with its QGIS style beside it (`<name>.qml`) where one is given.
    pub fn layer(&mut self, layer: Layer, qml: Option<(&str, String)>) -> Result<()> {
        let name = layer.name.clone();
        let file = format!("{name}.geojson");
        if self.formats.geojson || Self::for_report(&file) {
            self.write(
                &file,
                geojson::feature_collection(&layer.table, &layer.geometries).as_bytes(),
            )?;
        }
        if self.formats.geoparquet {
            self.write(
                &format!("{name}.parquet"),
                &geoparquet::layer_parquet(&layer)?,
            )?;
        }
        if let Some((style_name, qml)) = qml {
            if self.formats.geojson || self.formats.geoparquet {
                self.write(&format!("{name}.qml"), qml.as_bytes())?;
            }
            if self.formats.gpkg {
                self.styles.push(Style {
                    layer: name.clone(),
                    name: style_name.to_string(),
                    qml,
                });
            }
        }
        if self.formats.gpkg {
            self.layers.push(layer);
        }
        Ok(())
    }

    /// Writes the GeoPackage of the layers written so far (when it is chosen and there is a
    /// layer); later layers would not be in it.
    pub fn write_geopackage(&mut self) -> Result<()> {
        if self.formats.gpkg && !self.layers.is_empty() {
            let layers = std::mem::take(&mut self.layers);
            let refs: Vec<&Layer> = layers.iter().collect();
            let bytes = gpkg::geopackage(GPKG_FILE, &refs, &self.styles)?;
            self.dir.write(GPKG_FILE, &bytes)?;
        }
        Ok(())
    }

    /// Names of the files kept so far (not those held).
    pub fn files(&self) -> &[String] {
        self.dir.files()
    }

    /// The folder, to commit.
    pub fn into_dir(self) -> OutputDir {
        self.dir
    }

    /// A reader of the files written or held, for report.html.
    pub fn reader(&self) -> impl Fn(&str) -> Option<Vec<u8>> + '_ {
        move |name| self.read(name).ok()
    }
}
