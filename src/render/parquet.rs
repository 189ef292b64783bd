//! Parquet files that Arrow readers of every age can open: polars writes the file, but the
//! Arrow schema stored in it (`ARROW:schema`) is the oldest-compatible one (`large_string`,
//! `large_binary`), not the `string_view` polars uses in memory, which pyarrow before 14 and
//! GDAL before 3.9 refuse. Shared by matrix.parquet and the GeoParquet layers.

use std::io::Cursor;

use polars::prelude::*;
use polars_parquet::write::KeyValue;

use crate::error::{Error, Result};
use crate::render::tables::{Cell, ColumnType, OutTable};

/// A data frame as Parquet bytes (zstd), with the old-reader Arrow schema and any further
/// file-level metadata (`extra`, such as GeoParquet's `geo`).
pub(crate) fn parquet_bytes(
    file: &str,
    df: &mut DataFrame,
    extra: Vec<(String, String)>,
) -> Result<Vec<u8>> {
    let fail = |e: PolarsError| Error::Output(format!("writing {file}: {e}"));
    let schema = df.schema().to_arrow(CompatLevel::oldest());
    let mut kv = vec![polars_parquet::write::schema_to_metadata_key(&schema)];
    kv.extend(extra.into_iter().map(|(key, value)| KeyValue {
        key,
        value: Some(value),
    }));
    let mut buf = Cursor::new(Vec::new());
    ParquetWriter::new(&mut buf)
        .with_key_value_metadata(Some(KeyValueMetadata::Static(kv)))
        .finish(df)
        .map_err(fail)?;
    Ok(buf.into_inner())
}

/// The columns of a table, typed as [`OutTable::column_type`] says.
pub(crate) fn table_columns(table: &OutTable) -> Vec<Column> {
    (0..table.columns.len())
        .map(|j| {
            let name = PlSmallStr::from(table.columns[j].as_str());
            let cells = table.rows.iter().map(|r| &r[j]);
            match table.column_type(j) {
                ColumnType::Number => Column::new(
                    name,
                    cells
                        .map(|c| match c {
                            Cell::Number(v) => Some(*v),
                            _ => None,
                        })
                        .collect::<Vec<_>>(),
                ),
                ColumnType::Bool => Column::new(
                    name,
                    cells
                        .map(|c| match c {
                            Cell::Bool(b) => Some(*b),
                            _ => None,
                        })
                        .collect::<Vec<_>>(),
                ),
                ColumnType::Text => Column::new(
                    name,
                    cells
                        .map(|c| match c {
                            Cell::Null => None,
                            Cell::Text(s) => Some(s.clone()),
                            other => Some(other.csv()),
                        })
                        .collect::<Vec<_>>(),
                ),
            }
        })
        .collect()
}
