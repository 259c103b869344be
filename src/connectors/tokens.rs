//! Whole-token search for a subject's identifiers in raw bytes: the spellings each identifier
//! is looked for in, one multi-pattern pass over the bytes, and the boundary check that keeps
//! `198.51.100.23` from matching inside `198.51.100.230`.
//!
//! Matching is ASCII case-insensitive for every kind (log writers keep whatever case a user
//! typed). To keep the SIMD multi-pattern searcher (Teddy, from `aho-corasick`'s `packed`
//! module), which is case-sensitive, each spelling is found through a short *anchor* — the
//! 3–4 byte window with the fewest letters, in all its case variants — and every candidate is
//! then verified in full. When Teddy is unavailable (no SIMD, too many patterns), a
//! case-insensitive Aho-Corasick automaton over the same anchors takes over.

use std::net::IpAddr;

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

use super::SearchKeys;

/// How the edges of a token are recognised, by identifier kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Dotted quad: a neighbouring `.` followed by a word byte continues the token.
    Ipv4,
    /// Hex groups: `:` and `.` followed by a word byte continue the token.
    Ipv6,
    /// Local part may be preceded by `.`, `-`, `+` (a longer address); domain may continue
    /// with `-` or `.label`.
    Email,
    /// Digits: any word byte (or a `+` before) continues the number.
    Phone,
    /// Customer numbers, user names, custom keys: `.`, `-`, `@` followed by a word byte
    /// continue the token (`K-1001-2`, `max@example.org` for the user `max`).
    Word,
}

/// One byte sequence searched for, with how its edges are checked.
#[derive(Debug, Clone)]
struct Spelling {
    /// ASCII-lower-cased bytes.
    text: Vec<u8>,
    shape: Shape,
    /// Where the anchor sits inside `text`.
    anchor_at: usize,
    anchor_len: usize,
}

/// Which engine finds anchor candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Engine {
    /// Teddy when the CPU and the pattern count allow it, else the automaton.
    #[default]
    Fastest,
    /// Always the case-insensitive automaton (tests compare the two).
    #[cfg_attr(not(test), allow(dead_code))]
    Automaton,
}

enum Finder {
    /// Case-sensitive SIMD search over every case variant of every anchor.
    Packed(packed::Searcher),
    /// Case-insensitive automaton over the anchors.
    Automaton(AhoCorasick),
}

/// Finds the subject's identifiers as whole tokens in raw bytes.
pub(crate) struct TokenMatcher {
    spellings: Vec<Spelling>,
    finder: Finder,
}

/// At most this many ASCII letters in an anchor (2^3 = 8 case variants).
const ANCHOR_MAX_LETTERS: usize = 3;

impl TokenMatcher {
    /// A matcher for the subject's values of the given identifier kinds; `None` when the
    /// subject has no value for any of them (nothing can match).
    pub(crate) fn new(
        keys: &SearchKeys,
        kinds: &[String],
        default_country: &str,
        engine: Engine,
    ) -> Option<TokenMatcher> {
        let mut spellings: Vec<Spelling> = Vec::new();
        for kind in kinds {
            for value in keys.get(kind) {
                let forms: Vec<(Vec<u8>, Shape)> = spellings_of(kind, value, default_country)
                    .into_iter()
                    // A value with a line break can never lie inside one log line.
                    .filter(|(text, _)| !text.is_empty() && !text.contains(&b'\n') && !text.contains(&b'\r'))
                    .collect();
                let shared = shared_anchor(&forms);
                for (text, shape) in forms {
                    if spellings.iter().any(|s| s.text == text && s.shape == shape) {
                        continue;
                    }
                    let (anchor_at, anchor_len) = match shared {
                        Some(len) => (text.len() - len, len),
                        None => anchor_of(&text),
                    };
                    spellings.push(Spelling {
                        text,
                        shape,
                        anchor_at,
                        anchor_len,
                    });
                }
            }
        }
        if spellings.is_empty() {
            return None;
        }
        let finder = match engine {
            Engine::Fastest => packed_finder(&spellings),
            Engine::Automaton => None,
        }
        .or_else(|| automaton_finder(&spellings))?;
        Some(TokenMatcher { spellings, finder })
    }

    /// The start of the first verified whole-token hit in `hay[from..]`, if any. `hay` must
    /// begin and end at line boundaries: bytes outside it count as token edges.
    pub(crate) fn find(&self, hay: &[u8], mut from: usize) -> Option<usize> {
        while from < hay.len() {
            let candidate = match &self.finder {
                Finder::Packed(s) => s.find_in(hay, aho_corasick::Span::from(from..hay.len()))?.start(),
                Finder::Automaton(ac) => ac.find(Input::new(hay).range(from..))?.start(),
            };
            if self.verify(hay, candidate) {
                return Some(candidate);
            }
            from = candidate + 1;
        }
        None
    }

    /// Whether some spelling whose anchor lies at `at` matches there as a whole token.
    fn verify(&self, hay: &[u8], at: usize) -> bool {
        self.spellings.iter().any(|s| {
            let Some(start) = at.checked_sub(s.anchor_at) else {
                return false;
            };
            let end = start + s.text.len();
            end <= hay.len()
                && hay[at..at + s.anchor_len].eq_ignore_ascii_case(&s.text[s.anchor_at..s.anchor_at + s.anchor_len])
                && hay[start..end].eq_ignore_ascii_case(&s.text)
                && left_edge(hay, start, s.shape)
                && right_edge(hay, end, s.shape)
        })
    }

    /// Whether the fast SIMD engine is in use.
    #[cfg(test)]
    fn is_packed(&self) -> bool {
        matches!(self.finder, Finder::Packed(_))
    }
}

/// The byte spellings an identifier is searched in (lower-cased) and their edge rules.
///
/// - `ip`: IPv4 as normalised. IPv6 in its canonical RFC 5952 form, fully expanded
///   (`2001:0db8:0000:…`) and uncompressed (`2001:db8:0:0:0:0:0:1`): the three forms servers
///   write. Other partial compressions are not searched. An IPv4 address is also found inside
///   its mapped IPv6 form `::ffff:198.51.100.23`, because `:` ends an IPv4 token.
/// - `email`: the address, and with `@` percent-encoded (`%40`) as it appears in logged query
///   strings.
/// - `phone`: E.164 (`+4917…`), with `00` instead of `+`, the digits without `+` (also
///   found after a percent-encoded `%2B`), and the national digits (`017…`) when the number
///   belongs to the controller's country. Spellings with spaces or dashes are not searched.
/// - anything else: the value itself.
fn spellings_of(kind: &str, value: &str, default_country: &str) -> Vec<(Vec<u8>, Shape)> {
    let lower = |s: &str| s.to_ascii_lowercase().into_bytes();
    match kind {
        "ip" => match value.trim_matches(['[', ']']).parse::<IpAddr>() {
            Ok(IpAddr::V4(v4)) => vec![(v4.to_string().into_bytes(), Shape::Ipv4)],
            Ok(IpAddr::V6(v6)) => {
                let seg = v6.segments();
                let expanded = seg.iter().map(|g| format!("{g:04x}")).collect::<Vec<_>>().join(":");
                let plain = seg.iter().map(|g| format!("{g:x}")).collect::<Vec<_>>().join(":");
                [v6.to_string(), expanded, plain]
                    .into_iter()
                    .map(|s| (s.into_bytes(), Shape::Ipv6))
                    .collect()
            }
            Err(_) => vec![(lower(value), Shape::Word)],
        },
        "email" => {
            let v = value.to_lowercase();
            vec![
                (v.clone().into_bytes(), Shape::Email),
                (v.replace('@', "%40").into_bytes(), Shape::Email),
            ]
        }
        "phone" => {
            let Some(digits) = value.strip_prefix('+').filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())) else {
                return vec![(lower(value), Shape::Word)];
            };
            let mut out: Vec<(Vec<u8>, Shape)> = [format!("+{digits}"), format!("00{digits}"), digits.to_string()]
                .into_iter()
                .map(|s| (s.into_bytes(), Shape::Phone))
                .collect();
            if let Some(national) = national_digits(value, default_country) {
                if !out.iter().any(|(s, _)| s == national.as_bytes()) {
                    out.push((national.into_bytes(), Shape::Phone));
                }
            }
            out
        }
        _ => vec![(lower(value), Shape::Word)],
    }
}

/// The national number as dialled inside the controller's country (`0171…` for a German
/// mobile), digits only; `None` for foreign numbers.
fn national_digits(e164: &str, default_country: &str) -> Option<String> {
    let number = phonenumber::parse(None, e164).ok()?;
    let home: phonenumber::country::Id = default_country.parse().ok()?;
    if number.country().id()? != home {
        return None;
    }
    let national: String = number
        .format()
        .mode(phonenumber::Mode::National)
        .to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    (national.len() >= 4).then_some(national)
}

/// The anchor of a spelling: the whole spelling when it has at most
/// [`ANCHOR_MAX_LETTERS`] letters (IPs, phone numbers: Teddy then verifies it exactly), else
/// the longest window with that many letters, preferring one with a byte that is rare in
/// logs (`@`, `%`), then the earliest (the local part of an address is its most specific
/// piece). Long anchors keep false candidates rare: a generic `%40e` would stop at every
/// encoded address in a log.
fn anchor_of(text: &[u8]) -> (usize, usize) {
    let is_letter = |b: &u8| b.is_ascii_alphabetic();
    let is_rare = |b: &u8| matches!(b, b'@' | b'%' | b'+' | b'_' | b'~' | b'!' | b'#' | b'$' | b'&' | b'=');
    // (start, length, has a rare byte); spellings are short, so every start is tried.
    let mut best = (0, 0, false);
    for start in 0..text.len() {
        let mut letters = 0;
        let mut end = start;
        while end < text.len() {
            let letter = usize::from(is_letter(&text[end]));
            if letters + letter > ANCHOR_MAX_LETTERS {
                break;
            }
            letters += letter;
            end += 1;
        }
        let rare = text[start..end].iter().any(is_rare);
        if (end - start, rare) > (best.1, best.2) {
            best = (start, end - start, rare);
        }
    }
    (best.0, best.1)
}

/// One anchor for all spellings of a value when they end alike: a phone number's spellings
/// (`+49…`, `0049…`, `49…`, `0…`) all end in its national number, an IPv4 address's in the
/// address itself (`::ffff:` form). One pattern instead of four keeps the multi-pattern
/// searcher's false candidates few; each spelling is still verified in full. `None` when the
/// common suffix is short or has more letters than an anchor may.
fn shared_anchor(forms: &[(Vec<u8>, Shape)]) -> Option<usize> {
    let (first, rest) = forms.split_first()?;
    if rest.is_empty() {
        return None;
    }
    let len = rest.iter().fold(first.0.len(), |len, (text, _)| {
        first.0.iter().rev().zip(text.iter().rev()).take(len).take_while(|(a, b)| a.eq_ignore_ascii_case(b)).count()
    });
    let suffix = &first.0[first.0.len() - len..];
    (len >= 6 && suffix.iter().filter(|b| b.is_ascii_alphabetic()).count() <= ANCHOR_MAX_LETTERS).then_some(len)
}

/// Every ASCII case variant of `anchor` (at most 2^ANCHOR_MAX_LETTERS when chosen by
/// [`anchor_of`]).
fn case_variants(anchor: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![anchor.to_ascii_lowercase()];
    for (i, b) in anchor.iter().enumerate() {
        if b.is_ascii_alphabetic() {
            let upper: Vec<Vec<u8>> = out
                .iter()
                .map(|v| {
                    let mut v = v.clone();
                    v[i] = v[i].to_ascii_uppercase();
                    v
                })
                .collect();
            out.extend(upper);
        }
    }
    out
}

fn packed_finder(spellings: &[Spelling]) -> Option<Finder> {
    let mut anchors: Vec<Vec<u8>> = Vec::new();
    for s in spellings {
        for v in case_variants(&s.text[s.anchor_at..s.anchor_at + s.anchor_len]) {
            if !anchors.contains(&v) {
                anchors.push(v);
            }
        }
    }
    let mut builder = packed::Config::new()
        .match_kind(packed::MatchKind::LeftmostFirst)
        .builder();
    builder.extend(&anchors);
    builder.build().map(Finder::Packed)
}

fn automaton_finder(spellings: &[Spelling]) -> Option<Finder> {
    let anchors = spellings.iter().map(|s| &s.text[s.anchor_at..s.anchor_at + s.anchor_len]);
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .build(anchors)
        .ok()
        .map(Finder::Automaton)
}

/// Letters, digits, `_` and every byte of a non-ASCII UTF-8 character.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Bytes that continue a token of this shape when another word byte follows them.
fn is_joiner(shape: Shape, b: u8) -> bool {
    match shape {
        Shape::Ipv4 => b == b'.',
        Shape::Ipv6 => matches!(b, b'.' | b':'),
        Shape::Word => matches!(b, b'.' | b'-' | b'@'),
        Shape::Email | Shape::Phone => false,
    }
}

/// Whether `hay[..at]` ends with a percent escape such as `%20` or `%3D`: in a logged URL the
/// escape stands for a delimiter, so the token starts right after it.
fn after_percent_escape(hay: &[u8], at: usize) -> bool {
    at >= 3 && hay[at - 3] == b'%' && hay[at - 2].is_ascii_hexdigit() && hay[at - 1].is_ascii_hexdigit()
}

fn left_edge(hay: &[u8], start: usize, shape: Shape) -> bool {
    let Some(&prev) = start.checked_sub(1).and_then(|i| hay.get(i)) else {
        return true;
    };
    if after_percent_escape(hay, start) {
        return true;
    }
    match shape {
        Shape::Email => !(is_word(prev) || matches!(prev, b'.' | b'-' | b'+')),
        Shape::Phone => !(is_word(prev) || prev == b'+'),
        _ => {
            let joined = is_joiner(shape, prev) && start >= 2 && is_word(hay[start - 2]);
            !(is_word(prev) || joined)
        }
    }
}

fn right_edge(hay: &[u8], end: usize, shape: Shape) -> bool {
    let Some(&next) = hay.get(end) else {
        return true;
    };
    let then_word = hay.get(end + 1).is_some_and(|&b| is_word(b));
    match shape {
        Shape::Email => !(is_word(next) || next == b'-' || (next == b'.' && then_word)),
        Shape::Phone => !is_word(next),
        _ => !(is_word(next) || (is_joiner(shape, next) && then_word)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(kind: &str, values: &[&str], engine: Engine) -> TokenMatcher {
        let mut keys = SearchKeys::new();
        for v in values {
            keys.add(kind, *v);
        }
        TokenMatcher::new(&keys, &[kind.to_string()], "DE", engine).unwrap()
    }

    /// Every line of `text` the matcher finds, under both engines (they must agree).
    fn hits(kind: &str, values: &[&str], text: &str) -> Vec<String> {
        let mut results = Vec::new();
        for engine in [Engine::Fastest, Engine::Automaton] {
            let m = matcher(kind, values, engine);
            let found: Vec<String> = text
                .lines()
                .filter(|line| m.find(line.as_bytes(), 0).is_some())
                .map(str::to_string)
                .collect();
            results.push(found);
        }
        assert_eq!(results[0], results[1], "engines disagree");
        results.remove(0)
    }

    fn check(kind: &str, values: &[&str], yes: &[&str], no: &[&str]) {
        let text = yes.iter().chain(no).copied().collect::<Vec<_>>().join("\n");
        assert_eq!(hits(kind, values, &text), yes, "{kind}");
    }

    #[test]
    fn ipv4_only_as_a_whole_address() {
        check(
            "ip",
            &["198.51.100.23"],
            &[
                "198.51.100.23 - - [21/Nov/2026] \"GET /\"",
                "client=198.51.100.23:443",
                "GET /geo/198.51.100.23/lookup",
                "from ::ffff:198.51.100.23 end.",
                "xff: 10.0.0.1,198.51.100.23",
                "seen 198.51.100.23.",
                "q=%20198.51.100.23",
            ],
            &[
                "198.51.100.230 - - x",
                "1198.51.100.23 - - x",
                "198.51.100.2 - - x",
                "198.51.100.23.7 x",
                "4.198.51.100.23 x",
                "id198.51.100.23",
            ],
        );
    }

    #[test]
    fn ipv6_in_its_three_written_forms_any_case() {
        check(
            "ip",
            &["2001:db8::1"],
            &[
                "[2001:db8::1]:443 GET",
                "2001:0DB8:0000:0000:0000:0000:0000:0001 GET",
                "2001:db8:0:0:0:0:0:1 GET",
                "2001:DB8::1",
            ],
            &["2001:db8::10 GET", "2001:db8::1:5 GET", "x2001:db8::1", "2001:db8::1a"],
        );
    }

    #[test]
    fn email_not_inside_a_longer_address() {
        check(
            "email",
            &["max@example.org"],
            &[
                "<max@example.org>",
                "Max@Example.ORG",
                "GET /u?email=max%40example.org&x=1",
                "to: max@example.org.",
                "\"max@example.org\"",
                "q=%22max@example.org%22",
                "/users/max@example.org/",
            ],
            &[
                "xmax@example.org",
                "max@example.org.uk",
                "x.max@example.org",
                "a+max@example.org",
                "max@example.organic",
                "max@example.org-x.net",
                "max@example.or",
            ],
        );
    }

    #[test]
    fn phone_in_common_log_spellings() {
        check(
            "phone",
            &["+491711234567"],
            &[
                "tel=+491711234567",
                "tel=00491711234567",
                "tel=491711234567;",
                "tel=01711234567",
                "tel=%2B491711234567",
            ],
            &[
                "+4917112345678",
                "1491711234567",
                "x+491711234567",
                "0491711234567",
                "+49 171 1234567",
            ],
        );
    }

    #[test]
    fn words_stop_at_joined_neighbours() {
        check(
            "customer_id",
            &["K-1001"],
            &["ref=K-1001,", "k-1001 done", "(K-1001)"],
            &["K-10012", "XK-1001", "K-1001-2", "K-1001.b", "a.K-1001"],
        );
        check("username", &["max"], &["user max.", "user=max&"], &["max@example.org", "maxi"]);
    }

    #[test]
    fn a_failed_candidate_does_not_hide_an_overlapping_hit() {
        // "198.51.100.2" is found first at the same place and fails; "198.51.100.23" holds.
        assert_eq!(
            hits("ip", &["198.51.100.2", "198.51.100.23"], "a 198.51.100.23 b"),
            ["a 198.51.100.23 b"]
        );
        // Both fail as tokens at the first place; the second occurrence holds.
        assert_eq!(hits("username", &["ab"], "aab ab"), ["aab ab"]);
    }

    #[test]
    fn nothing_to_search_is_none() {
        let keys = SearchKeys::new();
        assert!(TokenMatcher::new(&keys, &["ip".into()], "DE", Engine::Fastest).is_none());
        let mut keys = SearchKeys::new();
        keys.add("ip", "198.51.100.23");
        assert!(TokenMatcher::new(&keys, &["email".into()], "DE", Engine::Fastest).is_none());
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn a_typical_subject_gets_the_simd_engine() {
        let mut keys = SearchKeys::new();
        keys.add("ip", "198.51.100.23");
        keys.add("ip", "2001:db8::1");
        keys.add("email", "max.muster@example.org");
        keys.add("phone", "+491711234567");
        let kinds = ["ip".to_string(), "email".to_string(), "phone".to_string()];
        assert!(TokenMatcher::new(&keys, &kinds, "DE", Engine::Fastest).unwrap().is_packed());
        assert!(!TokenMatcher::new(&keys, &kinds, "DE", Engine::Automaton).unwrap().is_packed());
    }

    #[test]
    fn anchors_keep_case_variants_few() {
        for text in [&b"max@example.org"[..], b"verylongusername", b"ab", b"198.51.100.23"] {
            let (at, len) = anchor_of(text);
            let letters = text[at..at + len].iter().filter(|b| b.is_ascii_alphabetic()).count();
            assert!(letters <= ANCHOR_MAX_LETTERS, "{text:?}");
            assert!(at + len <= text.len());
        }
        assert_eq!(case_variants(b"x@e").len(), 4);
        assert_eq!(anchor_of(b"198.51.100.23"), (0, 13));
        assert_eq!(anchor_of(b"2001:0db8:0000:0000:0000:0000:0000:0001"), (0, 39));
        let pick = |t: &'static [u8]| {
            let (at, len) = anchor_of(t);
            &t[at..at + len]
        };
        assert_eq!(pick(b"max.muster@example.org"), b"ter@");
        assert_eq!(pick(b"max.muster%40example.org"), b"ter%40");
        assert_eq!(pick(b"abcdefgh"), b"abc");
    }
}
