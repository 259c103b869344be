//! Text to positioned glyphs: font fallback, line breaking by glyph widths (UAX #14 break
//! opportunities), bidirectional reordering (UAX #9) and shaping, one line at a time.

use std::ops::Range;

use krilla::text::{GlyphId, KrillaGlyph};
use rustybuzz::{Direction, UnicodeBuffer};
use unicode_bidi::{BidiInfo, Level};
use unicode_linebreak::{linebreaks, BreakOpportunity};

use super::fonts::{FontId, Fonts};
use super::Span;

/// Glyphs of one font and direction, ready to draw left to right.
#[derive(Clone)]
pub(crate) struct GlyphRun {
    pub font: FontId,
    pub size: f32,
    /// The characters the glyphs stand for (what text extraction returns).
    pub text: String,
    pub glyphs: Vec<KrillaGlyph>,
    /// Width in points.
    pub width: f32,
}

/// One laid-out line: runs in visual order, left to right.
#[derive(Clone)]
pub(crate) struct Line {
    pub runs: Vec<GlyphRun>,
    pub width: f32,
}

/// A piece of the paragraph in one weight and one font.
struct StyleRun {
    range: Range<usize>,
    font: FontId,
}

/// Breaks `spans` into lines no wider than `max_width` points at `size` points; `bold`
/// forces bold for every span (table headers). A `\n` in a span is a forced line break.
pub(crate) fn lay_out(fonts: &Fonts, spans: &[Span], size: f32, max_width: f32, bold: bool) -> Vec<Line> {
    let mut text = String::new();
    let mut weights: Vec<(Range<usize>, bool)> = Vec::new();
    for s in spans {
        let start = text.len();
        for c in s.text.chars() {
            // Tabs and carriage returns would draw as missing-glyph boxes.
            match c {
                '\t' => text.push(' '),
                '\r' => {}
                c if c.is_control() && c != '\n' => {}
                c => text.push(c),
            }
        }
        weights.push((start..text.len(), bold || s.bold));
    }
    let text = text.trim_end().to_string();
    if text.is_empty() {
        return Vec::new();
    }
    let runs = style_runs(fonts, &text, &weights);
    let widths = char_widths(fonts, &text, &runs, size);
    let ranges = break_lines(&text, &widths, max_width);
    let bidi = BidiInfo::new(&text, Some(Level::ltr()));
    ranges.into_iter().map(|r| shape_line(fonts, &text, &bidi, &runs, r, size)).collect()
}

/// Splits the text into runs of one font, choosing the fallback font per character; marks
/// and joiners stay with the character before them so emoji sequences are not torn apart.
fn style_runs(fonts: &Fonts, text: &str, weights: &[(Range<usize>, bool)]) -> Vec<StyleRun> {
    let mut runs: Vec<StyleRun> = Vec::new();
    for (range, bold) in weights {
        let Some(part) = text.get(range.start..range.end.min(text.len())) else { continue };
        let mut prev: Option<FontId> = None;
        for (i, c) in part.char_indices() {
            let at = range.start + i;
            let font = match prev {
                Some(p) if c.is_whitespace() || is_joining(c) => p,
                _ => fonts.pick(c, *bold),
            };
            prev = Some(font);
            match runs.last_mut() {
                Some(last) if last.font == font && last.range.end == at => last.range.end = at + c.len_utf8(),
                _ => runs.push(StyleRun { range: at..at + c.len_utf8(), font }),
            }
        }
    }
    runs
}

fn is_joining(c: char) -> bool {
    matches!(c, '\u{200d}' | '\u{fe00}'..='\u{fe0f}' | '\u{0300}'..='\u{036f}' | '\u{1f3fb}'..='\u{1f3ff}' | '\u{e0020}'..='\u{e007f}')
}

/// Advance of every character (indexed by byte offset of its first byte; 0 elsewhere).
fn char_widths(fonts: &Fonts, text: &str, runs: &[StyleRun], size: f32) -> Vec<f32> {
    let mut w = vec![0.0; text.len() + 1];
    for run in runs {
        for (i, c) in text[run.range.clone()].char_indices() {
            w[run.range.start + i] = fonts.advance(run.font, c, size);
        }
    }
    w
}

/// Greedy first-fit over the break opportunities of UAX #14; a word longer than the line is
/// split between characters. Returns byte ranges without trailing spaces or newlines.
///
/// A hyphenated compound ("Baden-Württemberg", "E-Mail-Adresse") moves to the next line
/// whole; it is broken after one of its hyphens only when it is wider than a line by itself.
/// Why: text extraction that undoes hyphenation (poppler's `pdftotext` without `-raw` or
/// `-layout`, and search indexers built on it) deletes every U+002D that ends a line and
/// glues the lines together, so a name broken at its hyphen extracts as "BadenWürttemberg".
/// The PDF itself keeps the hyphen with its text either way (see `draw.rs`).
fn break_lines(text: &str, widths: &[f32], max_width: f32) -> Vec<Range<usize>> {
    let width_of = |r: Range<usize>| -> f32 { widths[r].iter().sum() };
    let visible_end = |start: usize, end: usize| -> usize { start + text[start..end].trim_end().len() };
    let mut lines = Vec::new();
    let mut line_start = 0;
    let mut line_width = 0.0f32;
    let mut seg_start = 0;
    // Opportunities after a hyphen inside the current segment, kept as fallbacks.
    let mut inner: Vec<usize> = Vec::new();
    // The last opportunity (end of text) is always mandatory, so every line is pushed.
    for (end, op) in linebreaks(text) {
        if op == BreakOpportunity::Allowed && ends_in_hyphen(&text[seg_start..end]) {
            inner.push(end);
            continue;
        }
        let seg_visible = visible_end(seg_start, end);
        let seg_width = width_of(seg_start..seg_visible);
        if seg_start > line_start && line_width + seg_width > max_width {
            lines.push(line_start..visible_end(line_start, seg_start));
            line_start = seg_start;
            line_width = 0.0;
        }
        if seg_start == line_start && seg_width > max_width {
            // Wider than the line: first at its hyphens, then (a long URL or e-mail address,
            // a part still too wide) between characters.
            let mut w = 0.0f32;
            let bounds: Vec<usize> = std::iter::once(seg_start).chain(inner.iter().copied().filter(|&b| b < seg_visible)).chain([seg_visible]).collect();
            for part in bounds.windows(2) {
                let (from, to) = (part[0], part[1]);
                let part_width = width_of(from..to);
                if from > line_start && w + part_width > max_width {
                    lines.push(line_start..from);
                    line_start = from;
                    w = 0.0;
                }
                if w + part_width <= max_width {
                    w += part_width;
                    continue;
                }
                for (i, _) in text[from..to].char_indices() {
                    let at = from + i;
                    if w + widths[at] > max_width && at > line_start {
                        lines.push(line_start..at);
                        line_start = at;
                        w = 0.0;
                    }
                    w += widths[at];
                }
            }
            line_width = w + width_of(seg_visible..end);
        } else {
            line_width += width_of(seg_start..end);
        }
        seg_start = end;
        inner.clear();
        if op == BreakOpportunity::Mandatory {
            lines.push(line_start..visible_end(line_start, end));
            line_start = end;
            line_width = 0.0;
        }
    }
    lines
}

/// Whether a break opportunity follows a hyphen directly (inside a hyphenated word; a
/// hyphen followed by a space breaks after the space instead).
fn ends_in_hyphen(segment: &str) -> bool {
    matches!(segment.chars().next_back(), Some('-' | '\u{2010}'))
}

/// Shapes one line: visual runs from the bidi algorithm, each cut at font changes and shaped
/// in its own direction.
fn shape_line(fonts: &Fonts, text: &str, bidi: &BidiInfo<'_>, runs: &[StyleRun], line: Range<usize>, size: f32) -> Line {
    let mut out = Vec::new();
    let visual: Vec<(Range<usize>, bool)> = if bidi.has_rtl() {
        match bidi.paragraphs.iter().find(|p| p.range.start <= line.start && line.start < p.range.end.max(line.start + 1)) {
            Some(para) => {
                let (levels, vruns) = bidi.visual_runs(para, line.clone());
                vruns.into_iter().map(|r| {
                    let rtl = levels.get(r.start).is_some_and(|l| l.is_rtl());
                    (r, rtl)
                }).collect()
            }
            None => vec![(line.clone(), false)],
        }
    } else {
        vec![(line.clone(), false)]
    };
    for (vr, rtl) in visual {
        let mut pieces: Vec<(Range<usize>, FontId)> = runs
            .iter()
            .filter_map(|s| {
                let start = s.range.start.max(vr.start);
                let end = s.range.end.min(vr.end);
                (start < end).then_some((start..end, s.font))
            })
            .collect();
        if rtl {
            pieces.reverse();
        }
        for (r, font) in pieces {
            if let Some(run) = shape(fonts, &text[r], font, size, rtl) {
                out.push(run);
            }
        }
    }
    let width = out.iter().map(|r| r.width).sum();
    Line { runs: out, width }
}

/// Shapes `text` in one font and direction; glyphs come out in visual order.
pub(crate) fn shape(fonts: &Fonts, text: &str, font: FontId, size: f32, rtl: bool) -> Option<GlyphRun> {
    if text.is_empty() {
        return None;
    }
    let f = fonts.font(font);
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    buffer.set_direction(if rtl { Direction::RightToLeft } else { Direction::LeftToRight });
    let output = rustybuzz::shape(&f.face, &[], buffer);
    let infos = output.glyph_infos();
    let positions = output.glyph_positions();
    let mut glyphs = Vec::with_capacity(infos.len());
    let mut width = 0.0;
    for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
        let start = info.cluster as usize;
        // The cluster ends where the next cluster in logical order starts.
        let end = if rtl {
            infos[..i].iter().rev().map(|g| g.cluster as usize).find(|&c| c != start)
        } else {
            infos[i + 1..].iter().map(|g| g.cluster as usize).find(|&c| c != start)
        }
        .unwrap_or(text.len());
        let (start, end) = if end < start { (start, text.len()) } else { (start, end) };
        let advance = pos.x_advance as f32 / f.upem;
        width += advance * size;
        glyphs.push(KrillaGlyph::new(
            GlyphId::new(info.glyph_id),
            advance,
            pos.x_offset as f32 / f.upem,
            pos.y_offset as f32 / f.upem,
            pos.y_advance as f32 / f.upem,
            start..end,
            None,
        ));
    }
    Some(GlyphRun { font, size, text: text.to_string(), glyphs, width })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Vec<Span> {
        vec![Span { text: s.into(), bold: false }]
    }

    fn lines_of(s: &str, width: f32) -> Vec<String> {
        let fonts = Fonts::get().unwrap();
        lay_out(fonts, &plain(s), 10.0, width, false)
            .iter()
            .map(|l| l.runs.iter().map(|r| r.text.as_str()).collect::<String>())
            .collect()
    }

    #[test]
    fn wraps_at_spaces_within_the_width_and_keeps_every_word() {
        let text = "Wir bestätigen den Eingang Ihrer Anfrage nach Art. 15 DSGVO und antworten fristgerecht.";
        let lines = lines_of(text, 150.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert_eq!(lines.join(" "), text);
        let fonts = Fonts::get().unwrap();
        for l in lay_out(fonts, &plain(text), 10.0, 150.0, false) {
            assert!(l.width <= 152.0, "line too wide: {}", l.width);
        }
    }

    fn width(s: &str) -> f32 {
        let fonts = Fonts::get().unwrap();
        s.chars().map(|c| fonts.advance(FontId::Regular, c, 10.0)).sum()
    }

    #[test]
    fn a_hyphenated_compound_moves_to_the_next_line_whole() {
        // Room for "… Baden-" but not for the whole name: the name moves, so no line ends in
        // a hyphen that plain `pdftotext` would delete ("BadenWürttemberg").
        let text = "Informationsfreiheit Baden-Württemberg";
        let w = width("Informationsfreiheit Baden-") + 2.0;
        assert!(w < width(text));
        assert_eq!(lines_of(text, w), ["Informationsfreiheit", "Baden-Württemberg"]);
        let text = "Ihre E-Mail-Adresse";
        assert_eq!(lines_of(text, width(text) - 1.0), ["Ihre", "E-Mail-Adresse"]);
    }

    #[test]
    fn a_compound_wider_than_the_line_breaks_after_its_hyphens_keeping_them() {
        let text = "Datenschutz-Grundverordnung";
        assert_eq!(lines_of(text, width("Grundverordnung") + 1.0), ["Datenschutz-", "Grundverordnung"]);
        assert_eq!(lines_of("E-Mail-Adresse", width("E-Mail-").max(width("Adresse")) + 1.0), ["E-Mail-", "Adresse"]);
        // A part still too wide is cut between characters; nothing is lost.
        let lines = lines_of("Baden-Württemberg", width("Württem") + 1.0);
        assert_eq!(lines, ["Baden-", "Württem", "berg"]);
        // A hyphen followed by a space breaks after the space, as before.
        assert_eq!(lines_of("Vor- und Nachname", width("Vor- und").max(width("Nachname")) + 1.0), ["Vor- und", "Nachname"]);
    }

    #[test]
    fn ligature_glyphs_carry_all_their_letters() {
        // DejaVu Sans forms ff, fi, fl, ffi ligatures; each ligature glyph's text range must
        // cover its letters, so krilla writes "ffi" (not nothing, not "f") for it.
        let fonts = Fonts::get().unwrap();
        for font in [FontId::Regular, FontId::Bold] {
            let text = "Auflistung offiziell effektiv fließend";
            let run = shape(fonts, text, font, 10.0, false).unwrap();
            let covered: Vec<&str> = run.glyphs.iter().map(|g| &text[g.text_range.clone()]).collect();
            assert_eq!(covered.concat(), text, "{font:?}");
            for lig in ["fl", "ffi", "ff"] {
                assert!(covered.contains(&lig), "{font:?}: no {lig} ligature glyph: {covered:?}");
            }
            assert!(run.glyphs.len() < text.chars().count(), "{font:?}");
        }
    }

    #[test]
    fn forced_breaks_and_overlong_words() {
        assert_eq!(lines_of("eins\nzwei", 300.0), ["eins", "zwei"]);
        let long = "x".repeat(200);
        let lines = lines_of(&long, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), long);
    }

    #[test]
    fn emoji_fall_back_to_the_symbol_font_and_rtl_is_reordered() {
        let fonts = Fonts::get().unwrap();
        let lines = lay_out(fonts, &plain("Hallo 👍 שלום"), 10.0, 400.0, false);
        let fonts_used: Vec<FontId> = lines[0].runs.iter().map(|r| r.font).collect();
        assert!(fonts_used.contains(&FontId::Symbols), "{fonts_used:?}");
        let texts: Vec<&str> = lines[0].runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts.last(), Some(&"שלום"), "{texts:?}");
    }

    #[test]
    fn any_mix_of_scripts_controls_and_separators_lays_out_without_losing_text() {
        let pool: Vec<char> = "aZ ß€ĳ-/\n\t\r\u{2029}\u{2028}\u{200d}\u{fe0f}\u{1c}\u{85}שלוםمرحبا👍🏽😀漢字\u{301}".chars().collect();
        let fonts = Fonts::get().unwrap();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..300 {
            let len = (seed % 60) as usize;
            let mut s = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(pool[(seed % pool.len() as u64) as usize]);
            }
            let lines = lay_out(fonts, &plain(&s), 10.0, 40.0, false);
            let kept: usize = lines.iter().flat_map(|l| &l.runs).map(|r| r.text.chars().filter(|c| !c.is_whitespace()).count()).sum();
            let expected = s.chars().filter(|c| !c.is_whitespace() && !c.is_control()).count();
            assert_eq!(kept, expected, "{s:?}");
        }
    }
}
