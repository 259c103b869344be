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
    /// The kind of problem, one of [`PROBLEM_CODES`] (`other` for those without a code of
    /// their own): the desktop words it in the user's language from this and `params`.
    pub code: &'static str,
    /// The code's parameters, by the names [`PROBLEM_CODES`] gives (register keys, system
    /// ids, legal basis codes, numbers: never a value that may be a secret).
    pub params: Vec<(&'static str, String)>,
}

/// Every problem code with the names of its parameters; `other` is worded generically.
pub const PROBLEM_CODES: &[(&str, &[&str])] = &[
    ("json.invalid", &["line", "column"]),
    ("field.missing", &["field"]),
    ("field.unknown", &["field"]),
    ("field.misplaced", &["field", "home"]),
    ("type.wrong", &[]),
    ("value.unknown", &[]),
    ("value.constant", &[]),
    ("value.invalid", &[]),
    ("secret.not-reference", &[]),
    ("value.empty", &[]),
    ("value.too-long", &["max"]),
    ("key.invalid", &[]),
    ("system.duplicate-id", &["id"]),
    ("transfer.no-safeguard", &[]),
    ("purpose-basis.not-listed", &["basis"]),
    ("period.invalid", &[]),
    ("other", &[]),
];

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
        RegisterError::single_coded(path, "other", Vec::new(), problem, fix)
    }

    /// An error with a single problem of a known kind.
    pub fn single_coded(
        path: impl Into<String>,
        code: &'static str,
        params: Vec<(&'static str, String)>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        RegisterError {
            problems: vec![Problem {
                path: path.into(),
                problem: problem.into(),
                fix: fix.into(),
                code,
                params,
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
        self.coded(path, "other", Vec::new(), problem, fix);
    }

    /// Adds a problem of a known kind (one of [`PROBLEM_CODES`]).
    pub fn coded(
        &mut self,
        path: impl Into<String>,
        code: &'static str,
        params: Vec<(&'static str, String)>,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) {
        debug_assert!(PROBLEM_CODES.iter().any(|(c, names)| *c == code && names.len() == params.len() && params.iter().all(|(n, _)| names.contains(n))), "{code}");
        let p = Problem {
            path: path.into(),
            problem: problem.into(),
            fix: fix.into(),
            code,
            params,
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
