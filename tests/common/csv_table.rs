//! A CSV table written by gatesim, read for its cells by column name (the
//! cells these tests read hold no quoted commas).

use std::path::Path;

/// A CSV file's header and its rows of cells.
pub struct CsvTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl CsvTable {
    /// Reads the CSV file at `path`.
    pub fn read(path: &Path) -> CsvTable {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut lines = text
            .lines()
            .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>());
        let header = lines.next().unwrap_or_default();
        CsvTable {
            header,
            rows: lines.collect(),
        }
    }

    /// The position of column `name`, panicking with the header if absent.
    pub fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}: {:?}", self.header))
    }

    /// Each row's cells as numbers (NaN where a cell is not one).
    pub fn numbers(&self) -> Vec<Vec<f64>> {
        self.rows
            .iter()
            .map(|r| r.iter().map(|x| x.parse().unwrap_or(f64::NAN)).collect())
            .collect()
    }
}
