//! The figures of the previous `make bench`, kept in `target/bench-last.txt` (one line per
//! upstream, visitors and store), printed under each new line for comparison.

use std::path::PathBuf;

/// The last line measured for each run key.
pub struct Runs {
    path: PathBuf,
    lines: Vec<String>,
}

impl Runs {
    /// Reads the previous run's lines (none on the first run).
    pub fn load() -> Self {
        let path = PathBuf::from("target/bench-last.txt");
        let lines = std::fs::read_to_string(&path)
            .map(|text| text.lines().map(str::to_owned).collect())
            .unwrap_or_default();
        Self { path, lines }
    }

    /// Records `line` for `key` and `store`; answers the line it replaces, if any.
    pub fn replace(&mut self, key: &str, store: &str, line: &str) -> Option<String> {
        let store_field = format!("store={store} ");
        let same = |old: &String| old.starts_with(key) && old.contains(&store_field);
        let before = self
            .lines
            .iter()
            .position(same)
            .map(|i| self.lines.remove(i));
        self.lines.push(line.to_owned());
        before
    }

    /// Writes the lines for the next run; a failure only loses the comparison.
    pub fn save(&self) {
        let _ = std::fs::write(&self.path, self.lines.join("\n") + "\n");
    }
}
