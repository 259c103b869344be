//! Safe file names inside the bundle: whatever a register or a connector calls a system or a
//! dataset, the archive only ever holds names that unpack harmlessly on Windows, macOS and
//! Linux, are unique even on case-insensitive disks, and never carry the subject's name.

use std::collections::HashSet;

/// Longest name component we write, in bytes. Windows allows 255 UTF-16 units per component
/// but 260 for a whole path in many tools; short components leave room for the folder the
/// subject unpacks into.
pub const MAX_COMPONENT_BYTES: usize = 80;

/// Names Windows reserves for devices, with or without an extension (`CON.json` too).
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
    "COM¹", "COM²", "COM³", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹",
    "LPT²", "LPT³", "CONIN$", "CONOUT$",
];

/// Turns any text into one safe path component (no extension): characters Windows rejects
/// and control characters become `_`, path separators cannot survive, leading dots (hidden
/// files, `..`) and trailing dots and spaces go, device names get a `_` prefix, and the result
/// is cut to [`MAX_COMPONENT_BYTES`]. Empty results become `fallback`.
pub fn component(raw: &str, fallback: &str) -> String {
    let mut out: String = raw
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            // Bidi overrides and zero-width characters make a name look like another one.
            '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' => '_',
            c => c,
        })
        .collect();
    out = out.trim_start_matches(['.', ' ']).to_string();
    cut(&mut out, MAX_COMPONENT_BYTES);
    let trimmed = out.trim_end_matches(['.', ' ']).len();
    out.truncate(trimmed);
    if out.is_empty() {
        return fallback.to_string();
    }
    let stem = out.split('.').next().unwrap_or("").trim_end_matches(' ');
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        out.insert(0, '_');
    }
    out
}

/// Cuts `s` to at most `max` bytes at a character boundary.
fn cut(s: &mut String, max: usize) {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
}

/// Words that would reveal whose bundle this is: the subject's name, its parts, and the
/// identifiers. A name component containing any of them is replaced by a neutral one, because
/// file names stay readable in an encrypted zip.
#[derive(Debug, Clone, Default)]
pub struct PersonalWords {
    words: Vec<String>,
}

impl PersonalWords {
    /// The subject's full name, each name part of three letters or more, and every identifier
    /// value (phone numbers also without their `+`).
    pub fn new<'a>(name: &str, identifiers: impl IntoIterator<Item = &'a str>) -> PersonalWords {
        let mut p = PersonalWords::whole(name, identifiers);
        for part in name.split(|c: char| !c.is_alphanumeric()) {
            p.push(part);
        }
        p
    }

    /// Only the full name and the identifiers: for text where a name part (`Anna`, `Klein`)
    /// may well be an ordinary word, such as a letter's subject line.
    pub fn whole<'a>(name: &str, identifiers: impl IntoIterator<Item = &'a str>) -> PersonalWords {
        let mut p = PersonalWords::default();
        p.push(name);
        for id in identifiers {
            p.push(id);
            p.push(id.trim_start_matches('+'));
        }
        p
    }

    fn push(&mut self, w: &str) {
        let w = w.trim().to_lowercase();
        if w.chars().count() >= 3 && !self.words.contains(&w) {
            self.words.push(w);
        }
    }

    /// Whether `text` contains any of the words (case-insensitive; spaces, dots, dashes and
    /// underscores are treated alike, so `jana_beispiel` is caught for "Jana Beispiel").
    pub fn found_in(&self, text: &str) -> bool {
        let fold = |s: &str| -> String {
            s.to_lowercase().chars().map(|c| if matches!(c, ' ' | '_' | '-' | '.') { ' ' } else { c }).collect()
        };
        let text = fold(text);
        self.words.iter().any(|w| text.contains(&fold(w)))
    }
}

/// Hands out names that are unique within one folder, compared case-insensitively (Windows
/// and macOS disks), by appending `-2`, `-3`, … to the stem.
#[derive(Debug, Default)]
pub struct UniqueNames {
    taken: HashSet<String>,
}

impl UniqueNames {
    /// An empty folder.
    pub fn new() -> UniqueNames {
        UniqueNames::default()
    }

    /// Marks a name as used without changing it (fixed names such as `index.html`).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_lowercase());
    }

    /// A unique `stem` (already safe) among the stems handed out so far.
    pub fn claim(&mut self, stem: &str) -> String {
        if self.taken.insert(stem.to_lowercase()) {
            return stem.to_string();
        }
        for n in 2u32.. {
            let suffix = format!("-{n}");
            let mut base = stem.to_string();
            cut(&mut base, MAX_COMPONENT_BYTES.saturating_sub(suffix.len()));
            let candidate = format!("{}{suffix}", base.trim_end_matches(['.', ' ']));
            if self.taken.insert(candidate.to_lowercase()) {
                return candidate;
            }
        }
        // u32 suffixes cannot run out for the datasets of one case.
        stem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expected: &str) {
        assert_eq!(component(raw, "x"), expected, "for {raw:?}");
    }

    #[test]
    fn hostile_components_become_safe() {
        check("kunden", "kunden");
        check("../../etc/passwd", "_.._etc_passwd");
        check("..", "x");
        check("a<b>c:d\"e|f?g*h", "a_b_c_d_e_f_g_h");
        check("C:\\Windows\\system32", "C__Windows_system32");
        check("trailing. . ", "trailing");
        check(".hidden", "hidden");
        check("CON", "_CON");
        check("con.txt", "_con.txt");
        check("Com1", "_Com1");
        check("CONSOLE", "CONSOLE");
        check("line\nbreak\u{0}", "line_break_");
        check("Bestellungen 2024", "Bestellungen 2024");
        check("bi\u{202E}di", "bi_di");
        let long = "ä".repeat(100);
        let c = component(&long, "x");
        assert!(c.len() <= MAX_COMPONENT_BYTES && c.chars().all(|ch| ch == 'ä'), "{c}");
    }

    #[test]
    fn unique_names_ignore_case() {
        let mut u = UniqueNames::new();
        u.reserve("index");
        assert_eq!(u.claim("Orders"), "Orders");
        assert_eq!(u.claim("orders"), "orders-2");
        assert_eq!(u.claim("ORDERS"), "ORDERS-3");
        assert_eq!(u.claim("Index"), "Index-2");
    }

    #[test]
    fn personal_words_catch_name_parts_and_identifiers() {
        let p = PersonalWords::new("Jana Beispiel", ["jana@example.org", "+4915112345678"]);
        assert!(p.found_in("export-jana_beispiel"));
        assert!(p.found_in("BEISPIEL.csv"));
        assert!(p.found_in("4915112345678-sms"));
        assert!(!p.found_in("kunden"));
        // Two-letter name parts would match almost anything.
        let p = PersonalWords::new("Li Wu", std::iter::empty());
        assert!(!p.found_in("list"));
        assert!(p.found_in("li wu export"));
    }
}
