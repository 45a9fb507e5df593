//! Rendered diagnostics read back into their parts, for embedders that want each warning and
//! error as a record (the C API's diagnostic callback) from text the pipeline already made.
//!
//! The text is what [`super::Diagnostic::render`] writes, and only that: a header line
//! `file:line:col: kind: message [-Wflag]` (or `cfree: kind: message` without a place), then
//! the quoted source line and the caret, then notes in the same shape. Keeping the reader next
//! to the writer, with a test that reads back what the writer wrote, is what makes this exact.

use super::Severity;

/// One diagnostic of a rendered text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedDiagnostic {
    pub severity: Severity,
    /// The file the header names; `None` for `cfree: error: ...` diagnostics without a place.
    pub file: Option<String>,
    /// 1-based; 0 without a place.
    pub line: u32,
    pub col: u32,
    /// The message without the `[-Wflag]` suffix.
    pub message: String,
    /// The option named in the suffix (`unused-variable`, `error=format`), if any.
    pub option: Option<String>,
    /// This diagnostic's whole rendered text: header, source line, caret, notes.
    pub text: String,
}

struct Header {
    severity: Severity,
    file: Option<String>,
    line: u32,
    col: u32,
    message: String,
}

/// Splits rendered diagnostics into one record per warning or error (notes and closing
/// lines stay in the text of the diagnostic they follow).
pub fn split_rendered(text: &str) -> Vec<RenderedDiagnostic> {
    let mut out: Vec<RenderedDiagnostic> = Vec::new();
    for line in text.split_inclusive('\n') {
        match header(line.trim_end_matches('\n')) {
            Some(h) if h.severity != Severity::Note || out.is_empty() => {
                let (message, option) = split_option(&h.message);
                out.push(RenderedDiagnostic {
                    severity: h.severity,
                    file: h.file,
                    line: h.line,
                    col: h.col,
                    message,
                    option,
                    text: line.to_string(),
                });
            }
            _ => match out.last_mut() {
                Some(d) => d.text.push_str(line),
                None => continue,
            },
        }
    }
    out
}

/// A header line's parts; `None` for source lines, carets and anything else.
fn header(line: &str) -> Option<Header> {
    if is_quoted_source(line) {
        return None;
    }
    let (at, kind, severity) = [
        (": error: ", Severity::Error),
        (": warning: ", Severity::Warning),
        (": note: ", Severity::Note),
    ]
    .into_iter()
    .filter_map(|(k, s)| line.find(k).map(|at| (at, k, s)))
    .min_by_key(|(at, _, _)| *at)?;
    let place = &line[..at];
    let message = line[at + kind.len()..].to_string();
    if place == "cfree" {
        return Some(Header {
            severity,
            file: None,
            line: 0,
            col: 0,
            message,
        });
    }
    let mut parts = place.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line_no = parts.next()?.parse().ok()?;
    let file = parts.next()?.to_string();
    Some(Header {
        severity,
        file: Some(file),
        line: line_no,
        col,
        message,
    })
}

/// `  123 | text` or `      | ^`: the renderer's quote of the source and its caret.
fn is_quoted_source(line: &str) -> bool {
    line.split_once(" | ")
        .or_else(|| line.strip_suffix(" |").map(|l| (l, "")))
        .is_some_and(|(num, _)| num.trim().chars().all(|c| c.is_ascii_digit()))
        || line.trim_start().starts_with("| ")
}

/// `message [-Wflag]` → (`message`, `flag`).
fn split_option(message: &str) -> (String, Option<String>) {
    if let Some(rest) = message.strip_suffix(']') {
        if let Some(at) = rest.rfind(" [-W") {
            return (rest[..at].to_string(), Some(rest[at + 4..].to_string()));
        }
    }
    (message.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Diagnostic, Diagnostics};
    use crate::source::{Loc, SourceMap};

    #[test]
    fn reads_back_what_render_writes() {
        let mut sm = SourceMap::new();
        let text = "int main(void) {\n  int x: error: ;\n  return 1 +;\n}\n".to_string();
        let file = sm.add("dir:odd/a.c", None, text);
        let at = |offset| Loc { file, offset };
        let mut diags = Diagnostics::default();
        let mut w = Diagnostic::warning(at(23), "unused variable 'x'");
        w.option = Some("unused-variable".into());
        diags.push(w.with_note(at(0), "in this function"));
        diags.error(at(48), "expected expression");
        diags.error(None, "no such file");
        let read = split_rendered(&diags.render(&sm));
        assert_eq!(read.len(), 3, "{read:?}");
        assert_eq!(read[0].severity, Severity::Warning);
        assert_eq!(read[0].file.as_deref(), Some("dir:odd/a.c"));
        assert_eq!((read[0].line, read[0].col), (2, 7));
        assert_eq!(read[0].message, "unused variable 'x'");
        assert_eq!(read[0].option.as_deref(), Some("unused-variable"));
        assert!(read[0].text.contains("note: in this function"));
        assert!(read[0].text.contains("^"));
        assert_eq!(read[1].severity, Severity::Error);
        assert_eq!((read[1].line, read[1].col), (3, 14));
        assert_eq!(read[1].option, None);
        assert_eq!(read[2].file, None);
        assert_eq!(read[2].message, "no such file");
        let all: String = read.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(all, diags.render(&sm));
    }
}
