//! Everything a person or another tool reads: terminal tables, CSV/Parquet/JSON files, PNG charts.
//! `report::charts` is the only plotters user.

pub mod charts;
pub mod run_files;
pub mod sweep_files;
