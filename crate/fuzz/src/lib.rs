//! revoscope's fuzz targets; see `targets.rs` and README.md (Testing).

pub mod targets;
