//! PNG charts (plotters, pure-Rust text via an embedded DejaVu font: no fontconfig). (being built)
