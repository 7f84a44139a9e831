//! Which column of a file holds what: matched case-insensitively from the spellings exchanges and
//! tools use, or named explicitly with `--columns time=ts,open=o,...`.

use std::str::FromStr;

use super::MarketError;

/// What a column means to wick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Time,
    Open,
    High,
    Low,
    Close,
    Volume,
    FundingRate,
    MarkPrice,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Time,
        Role::Open,
        Role::High,
        Role::Low,
        Role::Close,
        Role::Volume,
        Role::FundingRate,
        Role::MarkPrice,
    ];

    /// The name used in `--columns` and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Role::Time => "time",
            Role::Open => "open",
            Role::High => "high",
            Role::Low => "low",
            Role::Close => "close",
            Role::Volume => "volume",
            Role::FundingRate => "funding_rate",
            Role::MarkPrice => "mark_price",
        }
    }

    /// Header spellings recognised without a mapping, compared case-insensitively.
    pub fn spellings(self) -> &'static [&'static str] {
        match self {
            // `fundingTime` is the column of Binance's funding-rate API and archive files.
            Role::Time => &[
                "timestamp",
                "time",
                "open_time",
                "date",
                "datetime",
                "funding_time",
                "fundingtime",
            ],
            Role::Open => &["open", "o"],
            Role::High => &["high", "h"],
            Role::Low => &["low", "l"],
            Role::Close => &["close", "c"],
            Role::Volume => &["volume", "vol", "v"],
            Role::FundingRate => &["funding_rate", "fundingrate", "rate"],
            Role::MarkPrice => &["mark_price", "markprice"],
        }
    }

    fn from_user(s: &str) -> Option<Role> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "time" | "timestamp" => Some(Role::Time),
            "rate" | "funding" => Some(Role::FundingRate),
            "mark" => Some(Role::MarkPrice),
            _ => Role::ALL
                .into_iter()
                .find(|r| r.spellings().contains(&s.as_str()) || r.name() == s),
        }
    }
}

/// An explicit role → column mapping from `--columns time=ts,open=o,...`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    pub entries: Vec<(Role, String)>,
}

impl ColumnMap {
    pub fn get(&self, role: Role) -> Option<&str> {
        self.entries
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, c)| c.as_str())
    }
}

impl FromStr for ColumnMap {
    type Err = MarketError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut entries: Vec<(Role, String)> = Vec::new();
        for entry in s.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let bad = |reason: &str| MarketError::BadMapping {
                entry: entry.to_string(),
                reason: reason.to_string(),
            };
            let (role, column) = entry.split_once('=').ok_or_else(|| bad("no '='"))?;
            let role = Role::from_user(role).ok_or_else(|| {
                bad("unknown role; roles are time, open, high, low, close, volume, funding_rate, mark_price")
            })?;
            if column.trim().is_empty() {
                return Err(bad("no column name after '='"));
            }
            if entries.iter().any(|(r, _)| *r == role) {
                return Err(bad("this role is mapped twice"));
            }
            entries.push((role, column.trim().to_string()));
        }
        Ok(ColumnMap { entries })
    }
}

/// The file's column for `role`: the mapped one (which must exist), else the first header whose
/// name matches one of the role's spellings. `Ok(None)` when neither is there.
pub fn find(
    file: &str,
    names: &[String],
    role: Role,
    map: &ColumnMap,
) -> Result<Option<String>, MarketError> {
    if let Some(mapped) = map.get(role) {
        return match names
            .iter()
            .find(|n| n.as_str() == mapped || n.trim().eq_ignore_ascii_case(mapped.trim()))
        {
            Some(n) => Ok(Some(n.clone())),
            None => Err(MarketError::MappedColumnAbsent {
                file: file.to_string(),
                role: role.name().to_string(),
                column: mapped.to_string(),
                found: names.join(", "),
            }),
        };
    }
    // Spellings are tried in order of preference, so `timestamp` wins over `date` when a file
    // has both (CryptoDataDownload files carry `unix` and `date`).
    for spelling in role.spellings() {
        if let Some(n) = names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(spelling))
        {
            return Ok(Some(n.clone()));
        }
    }
    Ok(None)
}

/// Like [`find`], but a missing column is an error that lists the spellings and the mapping fix.
pub fn require(
    file: &str,
    names: &[String],
    role: Role,
    map: &ColumnMap,
) -> Result<String, MarketError> {
    // One header field holding `;` or tabs: the file is not comma-separated.
    if let [only] = names
        && let Some(sep) = [';', '\t', '|'].into_iter().find(|&c| only.contains(c))
    {
        return Err(MarketError::NotCommaSeparated {
            file: file.to_string(),
            separator: sep.escape_default().to_string(),
        });
    }
    find(file, names, role, map)?.ok_or_else(|| MarketError::MissingColumn {
        file: file.to_string(),
        role: role.name(),
        spellings: role.spellings().join("|"),
        found: names.join(", "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<String> {
        s.split(',').map(String::from).collect()
    }

    #[test]
    fn headers_match_their_common_spellings_whatever_the_case() {
        let n = names("Open_Time,O,H,L,C,Vol");
        let map = ColumnMap::default();
        assert_eq!(
            find("f", &n, Role::Time, &map).unwrap().as_deref(),
            Some("Open_Time")
        );
        assert_eq!(
            find("f", &n, Role::Open, &map).unwrap().as_deref(),
            Some("O")
        );
        assert_eq!(
            find("f", &n, Role::Volume, &map).unwrap().as_deref(),
            Some("Vol")
        );
        let funding = names("timestamp,fundingRate,markPrice");
        assert_eq!(
            find("f", &funding, Role::FundingRate, &map)
                .unwrap()
                .as_deref(),
            Some("fundingRate")
        );
        assert_eq!(
            find("f", &funding, Role::MarkPrice, &map)
                .unwrap()
                .as_deref(),
            Some("markPrice")
        );
    }

    #[test]
    fn an_explicit_mapping_wins_over_the_spellings() {
        let n = names("ts,timestamp,px");
        let map: ColumnMap = "time=ts,close=px".parse().unwrap();
        assert_eq!(
            find("f", &n, Role::Time, &map).unwrap().as_deref(),
            Some("ts")
        );
        assert_eq!(
            find("f", &n, Role::Close, &map).unwrap().as_deref(),
            Some("px")
        );
    }

    #[test]
    fn a_mapping_to_an_absent_column_is_an_error_that_lists_the_columns() {
        let map: ColumnMap = "time=when".parse().unwrap();
        let err = find("f.csv", &names("ts,open"), Role::Time, &map)
            .unwrap_err()
            .to_string();
        assert!(err.contains("'when'") && err.contains("ts, open"), "{err}");
    }

    #[test]
    fn a_missing_column_names_the_spellings_and_the_mapping_fix() {
        let err = require(
            "f.csv",
            &names("ts,open"),
            Role::Close,
            &ColumnMap::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("close|c") && err.contains("--columns close=<name>"),
            "{err}"
        );
    }

    #[test]
    fn malformed_mappings_are_rejected_with_the_reason() {
        assert!("time".parse::<ColumnMap>().is_err());
        assert!("colour=x".parse::<ColumnMap>().is_err());
        assert!("time=a,time=b".parse::<ColumnMap>().is_err());
        assert!("open=".parse::<ColumnMap>().is_err());
    }
}
