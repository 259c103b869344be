//! Why a register was refused: every problem found, each with where (a JSON pointer), what,
//! and how to fix it.

use std::fmt;

/// One thing wrong with a register file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON pointer to the offending value, e.g. `/systems/2/role` (empty for the whole file).
    pub path: String,
    /// What is wrong; names fields and system ids, never long free text or secrets.
    pub problem: String,
    /// What to do about it.
    pub fix: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(file)"
        } else {
            &self.path
        };
        write!(f, "{path}: {} — {}", self.problem, self.fix)
    }
}

/// A register that cannot be imported, with all its problems (never just the first).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct RegisterError {
    /// The problems, in the order found; never empty.
    pub problems: Vec<Problem>,
}

impl RegisterError {
    /// An error with a single problem.
    pub fn single(
        path: impl Into<String>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        RegisterError {
            problems: vec![Problem {
                path: path.into(),
                problem: problem.into(),
                fix: fix.into(),
            }],
        }
    }

    /// Whether some problem is about `path` exactly.
    pub fn mentions(&self, path: &str) -> bool {
        self.problems.iter().any(|p| p.path == path)
    }
}

impl fmt::Display for RegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Collects problems, dropping repeats of the same path and problem.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn add(
        &mut self,
        path: impl Into<String>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) {
        let p = Problem {
            path: path.into(),
            problem: problem.into(),
            fix: fix.into(),
        };
        if !self.0.contains(&p) {
            self.0.push(p);
        }
    }

    /// `Err` with the problems grouped in file order (controller first, then system by
    /// system), or `Ok` when there are none.
    pub fn into_result(mut self) -> Result<(), RegisterError> {
        if self.0.is_empty() {
            return Ok(());
        }
        self.0.sort_by_cached_key(|p| order_key(&p.path));
        Err(RegisterError { problems: self.0 })
    }
}

/// Sort key of a pointer: top-level keys in the order a register is written, then the
/// remaining segments with numbers compared as numbers.
fn order_key(path: &str) -> Vec<(usize, u64, String)> {
    path.split('/')
        .skip(1)
        .enumerate()
        .map(|(depth, seg)| {
            let rank = if depth == 0 {
                ["format", "version", "controller", "systems"]
                    .iter()
                    .position(|k| *k == seg)
                    .unwrap_or(4)
            } else {
                0
            };
            match seg.parse::<u64>() {
                Ok(n) => (rank, n, String::new()),
                Err(_) => (rank, 0, seg.to_string()),
            }
        })
        .collect()
}

/// A user-supplied value shortened for a message: at most 40 characters, one line.
pub(crate) fn cut(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() > 40 {
        format!("{}…", one_line.chars().take(39).collect::<String>())
    } else {
        one_line
    }
}

/// Appends one segment to a JSON pointer, escaping `~` and `/`.
pub(crate) fn join(base: &str, segment: impl fmt::Display) -> String {
    let seg = segment.to_string().replace('~', "~0").replace('/', "~1");
    format!("{base}/{seg}")
}
