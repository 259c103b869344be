//! The letter markup templates produce — a small XML vocabulary — read into the PDF layout
//! model and into the plain-text e-mail body. Values were HTML-escaped by the template engine;
//! reading the XML unescapes them, so user text comes out exactly as entered and is never
//! markup.
//!
//! ```text
//! <letter>
//!   <meta><running>header on every page</running><pages>Page {page} of {pages}</pages></meta>
//!   <body>  subject | h2 | h3 | p | ul > li | table[class=grid|plain, widths="30,70"] > tr > th|td[colspan]
//!           inline: b, br, small;  any block may carry only="pdf" or only="text"  </body>
//! </letter>
//! ```

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::pdf::{Block, Cell, Document, Row, Span, Table, TableStyle};

/// A letter read from its markup.
pub(super) struct Parsed {
    pub doc: Document,
    pub subject: String,
    pub text: String,
}

/// Reads rendered markup; the error says what is wrong and where (for firms' own templates).
pub(super) fn parse(xml: &str) -> Result<Parsed, String> {
    let mut reader = Reader::from_str(xml);
    let mut p = Parser::default();
    loop {
        let at = reader.buffer_position();
        let ev = reader.read_event().map_err(|e| format!("not well-formed at byte {at}: {e}"))?;
        match ev {
            Event::Start(e) => p.start(&e, false)?,
            Event::Empty(e) => p.start(&e, true)?,
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                p.end(&name)?;
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|e| format!("bad text: {e}"))?;
                p.text(&s);
            }
            Event::CData(t) => {
                let s = String::from_utf8_lossy(&t).into_owned();
                p.text(&s);
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| format!("bad character reference: {e}"))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| format!("bad entity: {e}"))?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .map(str::to_string)
                            .ok_or_else(|| format!("unknown entity &{name}; — use &amp; &lt; &gt; &quot; &apos; or a character"))?
                    }
                };
                p.text(&c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    p.finish()
}

#[derive(Default)]
struct Parser {
    stack: Vec<String>,
    doc: Document,
    subject: String,
    text: String,
    /// Inline content being collected for the current block or cell.
    spans: Vec<Span>,
    bold: usize,
    /// Block currently open: its name and whether it is for the PDF / the text.
    block: Option<(String, bool, bool)>,
    list: Option<(Vec<Vec<Span>>, bool, bool)>,
    table: Option<(Table, bool, bool)>,
    row: Option<Row>,
    colspan: usize,
    meta_field: Option<String>,
    meta_text: String,
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name.as_bytes()).and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn targets(e: &BytesStart<'_>) -> Result<(bool, bool), String> {
    match attr(e, "only").as_deref() {
        None => Ok((true, true)),
        Some("pdf") => Ok((true, false)),
        Some("text") => Ok((false, true)),
        Some(_) => Err("only= must be \"pdf\" or \"text\"".into()),
    }
}

const BLOCKS: &[&str] = &["subject", "h2", "h3", "p"];

impl Parser {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), String> {
        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        match name.as_str() {
            "letter" | "meta" | "body" => {}
            "running" | "pages" | "title" => {
                self.meta_field = Some(name.clone());
                self.meta_text.clear();
            }
            n if BLOCKS.contains(&n) => {
                let (pdf, text) = targets(e)?;
                self.block = Some((name.clone(), pdf, text));
                self.spans.clear();
            }
            "ul" => {
                let (pdf, text) = targets(e)?;
                self.list = Some((Vec::new(), pdf, text));
            }
            "li" => self.spans.clear(),
            "table" => {
                let (pdf, text) = targets(e)?;
                let class = attr(e, "class").unwrap_or_default();
                let style = if class.split_whitespace().any(|c| c == "plain") { TableStyle::Plain } else { TableStyle::Grid };
                let widths = attr(e, "widths")
                    .map(|w| w.split(',').map(|x| x.trim().parse::<f32>().map_err(|_| format!("widths=\"{w}\": give numbers like \"30,70\""))).collect::<Result<Vec<_>, _>>())
                    .transpose()?
                    .unwrap_or_else(|| vec![1.0, 1.0]);
                self.table = Some((Table { widths, style, rows: Vec::new() }, pdf, text));
            }
            "tr" => self.row = Some(Row { cells: Vec::new(), header: false }),
            "th" | "td" => {
                self.spans.clear();
                self.colspan = attr(e, "colspan").and_then(|c| c.parse().ok()).unwrap_or(1);
                if name == "th" {
                    if let Some(r) = self.row.as_mut() {
                        r.header = true;
                    }
                }
            }
            "b" => self.bold += 1,
            "br" => self.push_text("\n"),
            "small" => {}
            other => return Err(format!("unknown element <{other}>: use subject, h2, h3, p, ul, li, table, tr, th, td, b, br, small")),
        }
        self.stack.push(name.clone());
        if empty {
            self.end(&name)?;
        }
        Ok(())
    }

    fn text(&mut self, s: &str) {
        if self.meta_field.is_some() {
            self.meta_text.push_str(s);
            return;
        }
        // Whitespace from the template's layout collapses as in HTML; `<br/>` breaks lines.
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                out.push(c);
            }
        }
        self.push_text(&out);
    }

    fn push_text(&mut self, s: &str) {
        let bold = self.bold > 0;
        match self.spans.last_mut() {
            Some(last) if last.bold == bold => last.text.push_str(s),
            _ => self.spans.push(Span { text: s.to_string(), bold }),
        }
    }

    /// The collected inline content with spaces around line breaks and at the ends removed.
    fn take_spans(&mut self) -> Vec<Span> {
        let mut spans = std::mem::take(&mut self.spans);
        for s in &mut spans {
            while s.text.contains(" \n") || s.text.contains("\n ") {
                s.text = s.text.replace(" \n", "\n").replace("\n ", "\n");
            }
        }
        if let Some(first) = spans.first_mut() {
            first.text = first.text.trim_start_matches(' ').to_string();
        }
        if let Some(last) = spans.last_mut() {
            last.text = last.text.trim_end_matches(' ').to_string();
        }
        spans.retain(|s| !s.text.is_empty());
        spans
    }

    fn end(&mut self, name: &str) -> Result<(), String> {
        if let Some(top) = self.stack.last() {
            if top != name {
                return Err(format!("</{name}> closes <{top}>"));
            }
            self.stack.pop();
        }
        match name {
            "running" | "pages" | "title" => {
                let v = self.meta_text.split_whitespace().collect::<Vec<_>>().join(" ");
                match name {
                    "running" => self.doc.header = v,
                    "pages" => self.doc.page_label = v,
                    _ => self.doc.title = v,
                }
                self.meta_field = None;
            }
            n if BLOCKS.contains(&n) => {
                let spans = self.take_spans();
                let (_, pdf, text) = self.block.take().unwrap_or((String::new(), true, true));
                let plain = plain(&spans);
                if n == "subject" {
                    self.subject = plain.replace('\n', " ");
                }
                if pdf && !spans.is_empty() {
                    self.doc.blocks.push(match n {
                        "subject" => Block::Heading { level: 1, text: spans },
                        "h2" => Block::Heading { level: 2, text: spans },
                        "h3" => Block::Heading { level: 3, text: spans },
                        _ => Block::Paragraph(spans),
                    });
                }
                if text && n != "subject" && !plain.is_empty() {
                    self.text.push_str(&plain);
                    self.text.push_str("\n\n");
                }
            }
            "li" => {
                let spans = self.take_spans();
                if let Some((items, _, _)) = self.list.as_mut() {
                    items.push(spans);
                }
            }
            "ul" => {
                if let Some((items, pdf, text)) = self.list.take() {
                    if text {
                        for i in &items {
                            self.text.push_str(&format!("- {}\n", plain(i).replace('\n', "\n  ")));
                        }
                        self.text.push('\n');
                    }
                    if pdf {
                        self.doc.blocks.push(Block::List(items));
                    }
                }
            }
            "th" | "td" => {
                let content = self.take_spans();
                if let Some(r) = self.row.as_mut() {
                    r.cells.push(Cell { content, colspan: self.colspan.max(1) });
                }
            }
            "tr" => {
                if let (Some(row), Some((t, _, _))) = (self.row.take(), self.table.as_mut()) {
                    t.rows.push(row);
                }
            }
            "table" => {
                if let Some((t, pdf, text)) = self.table.take() {
                    if text {
                        self.text.push_str(&table_text(&t));
                    }
                    if pdf {
                        self.doc.blocks.push(Block::Table(t));
                    }
                }
            }
            "b" => self.bold = self.bold.saturating_sub(1),
            _ => {}
        }
        Ok(())
    }

    fn finish(self) -> Result<Parsed, String> {
        if let Some(open) = self.stack.last() {
            return Err(format!("<{open}> is never closed"));
        }
        let mut doc = self.doc;
        if doc.title.is_empty() {
            doc.title = self.subject.clone();
        }
        Ok(Parsed { doc, subject: self.subject, text: self.text.trim_end().to_string() + "\n" })
    }
}

fn plain(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// A table as text: header rows as lines of their own, other rows as `label: value`.
fn table_text(t: &Table) -> String {
    let mut out = String::new();
    for row in &t.rows {
        let cells: Vec<String> = row.cells.iter().map(|c| plain(&c.content)).collect();
        match (row.header, cells.as_slice()) {
            (true, _) => {
                let line = cells.join(" ");
                out.push_str(&format!("{line}\n{}\n", "-".repeat(line.chars().count().min(72))));
            }
            (false, [label, value]) if t.style == TableStyle::Grid => {
                out.push_str(&format!("{label}: {}\n", value.replace('\n', "\n  ")));
            }
            _ => {
                for c in cells.iter().filter(|c| !c.is_empty()) {
                    out.push_str(c);
                    out.push('\n');
                }
            }
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_values_come_back_literally_and_layout_whitespace_collapses() {
        let xml = "<letter><meta><running>Kopf</running><pages>S. {page}/{pages}</pages></meta><body>\n  <subject>Betreff</subject>\n  <p>Hallo &lt;script&gt;&amp;amp; {{ 7*7 }} &#x2f; &#x27;x&#x27;,\n   <b>fett</b><br/>neu</p>\n</body></letter>";
        let p = parse(xml).unwrap();
        assert_eq!(p.subject, "Betreff");
        assert_eq!(p.doc.header, "Kopf");
        assert_eq!(p.text, "Hallo <script>&amp; {{ 7*7 }} / 'x', fett\nneu\n");
        match &p.doc.blocks[1] {
            Block::Paragraph(spans) => {
                assert_eq!(spans.len(), 3);
                assert!(spans[1].bold);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_elements_and_unclosed_tags_are_named() {
        let e = parse("<letter><body><marquee>x</marquee></body></letter>").err().unwrap();
        assert!(e.contains("<marquee>"), "{e}");
        let e = parse("<letter><body><p>x</body></letter>").err().unwrap();
        assert!(e.contains("closes <p>") || e.contains("not well-formed"), "{e}");
    }

    #[test]
    fn tables_become_label_value_lines_in_text_and_pdf_only_blocks_are_skipped() {
        let xml = r#"<letter><body><table only="pdf" class="plain"><tr><td>Kopf</td></tr></table><table widths="30,70"><tr><th colspan="2">CRM</th></tr><tr><td>Zwecke</td><td>Vertrag<br/>Werbung</td></tr></table></body></letter>"#;
        let p = parse(xml).unwrap();
        assert_eq!(p.text, "CRM\n---\nZwecke: Vertrag\n  Werbung\n");
        assert_eq!(p.doc.blocks.len(), 2);
    }
}
