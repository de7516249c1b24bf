//! Reading a small CSV file for fitting: a header, then records, each with
//! the line it came from, so every later complaint can name its line.
//! Fields are separated by commas and may be quoted (`"a, b"`, with `""`
//! for a quote inside); spaces around a field are ignored; blank lines and
//! lines starting with `#` (comments, e.g. the data's source) are skipped;
//! a UTF-8 byte-order mark and Windows line ends are accepted; two columns
//! of the same name (ignoring case) are refused.

use super::InputError;
use std::path::Path;

/// One record: its fields and its line (1-based).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Record {
    /// The line in the file.
    pub line: usize,
    /// The fields, trimmed.
    pub fields: Vec<String>,
}

/// A parsed file: the header (trimmed, as written) and the records.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Table {
    /// The header's line.
    pub header_line: usize,
    /// Column names, as written.
    pub header: Vec<String>,
    /// The records after the header.
    pub records: Vec<Record>,
    /// The last line holding anything (the header's when there are no records).
    pub last_line: usize,
}

impl Table {
    /// The index of the column named `name`, ignoring case.
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h.eq_ignore_ascii_case(name))
    }

    /// The column names, comma-separated, for messages.
    pub(crate) fn columns(&self) -> String {
        self.header.join(",")
    }
}

/// Splits one line into trimmed fields.
fn split(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' && cur.trim().is_empty() && !was_quoted {
            cur.clear();
            quoted = true;
            was_quoted = true;
        } else if c == ',' {
            fields.push(cur.trim().to_string());
            cur.clear();
            was_quoted = false;
        } else if was_quoted && !c.is_whitespace() {
            return Err(format!("text after a closing quote: `{line}`"));
        } else {
            cur.push(c);
        }
    }
    if quoted {
        return Err("a quote is never closed".into());
    }
    fields.push(cur.trim().to_string());
    Ok(fields)
}

/// `1 field`, `2 fields`.
pub(crate) fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Parses `text` (the contents of `file`): the first line that is neither
/// blank nor a comment is the header; every record must have as many
/// fields as the header.
pub(crate) fn parse(text: &str, file: &Path) -> Result<Table, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut header: Option<(usize, Vec<String>)> = None;
    let mut records = Vec::new();
    let mut last_line = 1;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        last_line = line;
        let fields = split(raw).map_err(|m| InputError::at(file, line, m))?;
        match &header {
            None => {
                if let Some(k) = fields.iter().position(String::is_empty) {
                    return Err(InputError::at(
                        file,
                        line,
                        format!("column {} of the header has no name", k + 1),
                    ));
                }
                for (k, h) in fields.iter().enumerate() {
                    if let Some(j) = fields[..k].iter().position(|o| o.eq_ignore_ascii_case(h)) {
                        return Err(InputError::at(
                            file,
                            line,
                            format!("column `{h}` appears twice (columns {} and {})", j + 1, k + 1),
                        ));
                    }
                }
                header = Some((line, fields));
            }
            Some((_, h)) => {
                if fields.len() != h.len() {
                    return Err(InputError::at(
                        file,
                        line,
                        format!(
                            "this row has {}, but the header `{}` has {}",
                            plural(fields.len(), "field"),
                            h.join(","),
                            h.len()
                        ),
                    ));
                }
                records.push(Record { line, fields });
            }
        }
    }
    let Some((header_line, header)) = header else {
        return Err(InputError::at(
            file,
            1,
            "the file is empty: expected a header line, then one row per line",
        ));
    };
    Ok(Table {
        header_line,
        header,
        records,
        last_line,
    })
}

/// Reads and parses `file`.
pub(crate) fn read(file: &Path) -> Result<Table, InputError> {
    let bytes = std::fs::read(file).map_err(|e| InputError {
        file: file.to_path_buf(),
        line: None,
        message: format!("cannot read the file: {e}"),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        InputError::at(file, line, "not UTF-8 text: a CSV file is expected")
    })?;
    parse(&text, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Table, InputError> {
        parse(text, Path::new("x.csv"))
    }

    #[test]
    fn comments_blank_lines_and_quotes_are_read_with_their_line_numbers() {
        let t = p("\u{feff}# source\n\nperiod, active\r\n0,\"1,000\"\n\n1, \"say \"\"hi\"\"\" \n").unwrap();
        assert_eq!(t.header, ["period", "active"]);
        assert_eq!(t.header_line, 3);
        assert_eq!(t.records[0].line, 4);
        assert_eq!(t.records[0].fields, ["0", "1,000"]);
        assert_eq!(t.records[1].fields, ["1", "say \"hi\""]);
        assert_eq!(t.last_line, 6);
        assert_eq!(t.column("ACTIVE"), Some(1));
    }

    #[test]
    fn an_empty_file_a_short_row_and_an_open_quote_are_named_by_line() {
        assert_eq!(p("").unwrap_err().line, Some(1));
        assert_eq!(p("# only a comment\n").unwrap_err().line, Some(1));
        let e = p("a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("has 1 field,"), "{}", e.message);
        assert_eq!(p("a,b\n\"1,2\n").unwrap_err().line, Some(2));
        assert_eq!(p("a,\n").unwrap_err().line, Some(1));
        let e = p("# c\nhours,x,Hours\n1,2,3\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("appears twice (columns 1 and 3)"), "{}", e.message);
    }
}
