//! Strategy files (TOML) as the user writes them, and the validated run settings built from them.
