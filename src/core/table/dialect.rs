//! The dialect of a CSV file: which character separates its columns and
//! which marks its decimals, told from the file itself.
//!
//! **The separator** is a comma, a semicolon or a tab. A first line
//! `sep=;` (as Excel writes it) says which, and is skipped. Otherwise it is
//! the one of the three that appears, outside quotes, in the header. When
//! the header holds more than one of them, it is the only one that splits
//! the header and each of the first [`SAMPLE`] rows into as many fields
//! (the tab, if it is one of several that do: a tab is never meant inside
//! a name or a value); when none or several do, the file is refused,
//! naming what was found.
//! A header without any (one column) is comma-separated, unless its first
//! rows write numbers with a decimal comma (`36,9`) and none with a
//! decimal point: a comma there cannot separate columns that the header
//! does not have, so the file is read as semicolon-separated.
//!
//! **The decimal mark** of a comma-separated file is the point. In a file
//! separated by semicolons or tabs it is what its numbers show: the first
//! number written with a decimal point and the first with a decimal comma
//! are noted (a single mark followed by exactly three digits, as in
//! `1,234`, shows nothing: it could be a thousands separator), and
//! [`Dialect::number`] reads every number by them.

use super::shape;

/// Rows after the header looked at to tell the separator.
pub(crate) const SAMPLE: usize = 100;

/// What separates the columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Separator {
    /// `,`
    Comma,
    /// `;`
    Semicolon,
    /// A tab.
    Tab,
}

impl Separator {
    /// The three, in the order a message lists them.
    pub(crate) const ALL: [Separator; 3] = [Separator::Comma, Separator::Semicolon, Separator::Tab];

    /// The character.
    pub(crate) fn char(self) -> char {
        match self {
            Separator::Comma => ',',
            Separator::Semicolon => ';',
            Separator::Tab => '\t',
        }
    }

    /// Its name in a message, plural: "commas", "semicolons", "tabs".
    pub(crate) fn plural(self) -> &'static str {
        match self {
            Separator::Comma => "commas",
            Separator::Semicolon => "semicolons",
            Separator::Tab => "tabs",
        }
    }

    /// The adjective: "comma-separated", "semicolon-separated", "tab-separated".
    pub(crate) fn separated(self) -> &'static str {
        match self {
            Separator::Comma => "comma-separated",
            Separator::Semicolon => "semicolon-separated",
            Separator::Tab => "tab-separated",
        }
    }
}

/// A number seen in the file, for messages: its text and line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Seen {
    /// The field as written.
    pub(crate) text: String,
    /// Its line (1-based).
    pub(crate) line: usize,
}

/// How a file writes its columns and its numbers.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Dialect {
    /// What separates the columns.
    pub(crate) separator: Separator,
    /// The first number written with a decimal point (only noted when
    /// the separator is not the comma).
    pub(crate) point: Option<Seen>,
    /// The first number written with a decimal comma (only noted when the
    /// separator is not the comma).
    pub(crate) comma: Option<Seen>,
}

impl Dialect {
    /// A dialect with `separator` and nothing seen of its numbers yet.
    pub(crate) fn new(separator: Separator) -> Dialect {
        Dialect {
            separator,
            point: None,
            comma: None,
        }
    }

    /// Notes the decimal mark of `field` (on `line`), if it shows one and
    /// none of its kind was noted before.
    pub(crate) fn note(&mut self, field: &str, line: usize) {
        if self.separator == Separator::Comma {
            return;
        }
        let slot = match shape::shape(field).and_then(|s| s.decimal_mark()) {
            Some('.') => &mut self.point,
            Some(_) => &mut self.comma,
            None => return,
        };
        if slot.is_none() {
            *slot = Some(Seen {
                text: field.to_string(),
                line,
            });
        }
    }
}

/// How many of each separator `line` holds outside quotes (each quote
/// toggles; a quote written inside a quoted field as `""` toggles twice).
fn counts(line: &str) -> [usize; 3] {
    let mut n = [0; 3];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            ',' => n[0] += 1,
            ';' => n[1] += 1,
            '\t' => n[2] += 1,
            _ => {}
        }
    }
    n
}

/// The separator an Excel `sep=X` line declares.
pub(crate) fn declared(line: &str) -> Option<Separator> {
    let rest = line.trim_start().strip_prefix("sep=")?;
    let rest = rest.strip_suffix('\r').unwrap_or(rest);
    match rest {
        "," => Some(Separator::Comma),
        ";" => Some(Separator::Semicolon),
        "\t" => Some(Separator::Tab),
        _ => None,
    }
}

/// The separator of a file whose header is `header` and whose first rows
/// are `rows`, or why it cannot be told.
pub(crate) fn separator(header: &str, rows: &[&str]) -> Result<Separator, String> {
    let head = counts(header);
    let found: Vec<usize> = (0..3).filter(|&k| head[k] > 0).collect();
    match found.as_slice() {
        [] => Ok(one_column(rows)),
        [k] => Ok(Separator::ALL[*k]),
        _ => {
            let rows: Vec<[usize; 3]> = rows.iter().map(|r| counts(r)).collect();
            let fitting: Vec<usize> = found
                .iter()
                .copied()
                .filter(|&k| !rows.is_empty() && rows.iter().all(|r| r[k] == head[k]))
                .collect();
            // A tab inside a name or a value is never meant: tabs win a tie.
            if let [k] = fitting.as_slice() {
                return Ok(Separator::ALL[*k]);
            } else if fitting.contains(&2) {
                return Ok(Separator::Tab);
            }
            let names: Vec<&str> = found.iter().map(|&k| Separator::ALL[k].plural()).collect();
            let fit = match (rows.is_empty(), fitting.len()) {
                (true, _) => "there are no rows to tell which separates its columns",
                (false, 0) => "its first rows split into as many fields by none of them",
                _ => "its first rows split into as many fields by each of them",
            };
            Err(format!(
                "cannot tell which separator this file uses: its header holds {} (outside quotes), and {fit}; \
                 save it with one separator between columns (a comma, a semicolon or a tab), \
                 and quote any name or value that holds another",
                names.join(" and ")
            ))
        }
    }
}

/// The separator of a one-column file: the comma, unless the rows write
/// numbers with a decimal comma and none with a decimal point.
fn one_column(rows: &[&str]) -> Separator {
    let mut comma = false;
    for row in rows {
        let field = row.trim();
        let mark = shape::shape(field).map(|s| (s.decimal_mark(), s.marks.len()));
        match mark {
            Some((Some('.'), _)) => return Separator::Comma,
            Some((Some(','), _)) => comma = true,
            // A comma that is not a decimal comma: columns the header lacks.
            _ if counts(row)[0] > 0 && !matches!(mark, Some((None, 1))) => return Separator::Comma,
            _ => {}
        }
    }
    if comma { Separator::Semicolon } else { Separator::Comma }
}

/// In a comma-separated row with too many fields, the numbers that two
/// neighbouring fields of digits would make with a decimal comma (`36,9`),
/// at most three.
pub(crate) fn split_decimals(fields: &[String]) -> Vec<String> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    fields
        .windows(2)
        .filter_map(|w| {
            let whole = w[0].strip_prefix(['-', '+']).unwrap_or(&w[0]);
            (digits(whole) && digits(&w[1])).then(|| format!("{},{}", w[0], w[1]))
        })
        .take(3)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_the_one_the_header_holds_outside_quotes() {
        assert_eq!(separator("period,active", &[]), Ok(Separator::Comma));
        assert_eq!(separator("period;active", &["0;1,5"]), Ok(Separator::Semicolon));
        assert_eq!(separator("period\tactive", &[]), Ok(Separator::Tab));
        assert_eq!(separator("\"a;b\",c", &["1,2"]), Ok(Separator::Comma));
        assert_eq!(separator("\"say \"\"x,y\"\"\";c", &["1;2"]), Ok(Separator::Semicolon));
    }

    #[test]
    fn a_header_with_two_separators_is_settled_by_the_rows_or_refused() {
        assert_eq!(
            separator("id;note, remark", &["1;ok", "2;fine"]),
            Ok(Separator::Semicolon)
        );
        assert_eq!(separator("id\tvalue, hours", &["1\t3,5"]), Ok(Separator::Tab));
        let e = separator("a,b;c", &["1,2;3"]).unwrap_err();
        assert!(e.contains("commas and semicolons") && e.contains("each of them"), "{e}");
        let e = separator("a,b;c", &[]).unwrap_err();
        assert!(e.contains("no rows"), "{e}");
        let e = separator("a,b;c", &["1;2;3;4"]).unwrap_err();
        assert!(e.contains("none of them"), "{e}");
    }

    #[test]
    fn a_one_column_file_with_decimal_commas_is_read_as_semicolon_separated() {
        assert_eq!(separator("hours", &["36,9", "7,2", "12"]), Ok(Separator::Semicolon));
        assert_eq!(separator("hours", &["36.9", "5,6"]), Ok(Separator::Comma));
        assert_eq!(separator("hours", &["1,000"]), Ok(Separator::Comma));
        assert_eq!(separator("hours", &["\"36,9\""]), Ok(Separator::Comma));
        assert_eq!(separator("hours", &["36,9", "a,b"]), Ok(Separator::Comma));
        assert_eq!(separator("hours", &["36", "7"]), Ok(Separator::Comma));
    }

    #[test]
    fn an_excel_sep_line_declares_the_separator() {
        assert_eq!(declared("sep=;"), Some(Separator::Semicolon));
        assert_eq!(declared("sep=,\r"), Some(Separator::Comma));
        assert_eq!(declared("sep=\t"), Some(Separator::Tab));
        assert_eq!(declared("sep=|"), None);
        assert_eq!(declared("period,active"), None);
    }

    #[test]
    fn decimal_marks_are_noted_once_and_only_where_they_are_not_ambiguous() {
        let mut d = Dialect::new(Separator::Semicolon);
        d.note("1,000", 2);
        d.note("12", 3);
        assert_eq!((d.point.as_ref(), d.comma.as_ref()), (None, None));
        d.note("36,9", 4);
        d.note("7,25", 5);
        assert_eq!(d.comma.as_ref().map(|s| (s.text.as_str(), s.line)), Some(("36,9", 4)));
        assert_eq!(d.point, None);
        d.note("1.5", 9);
        d.note("2.5", 10);
        assert_eq!(d.point.as_ref().map(|s| s.line), Some(9));
        let mut c = Dialect::new(Separator::Comma);
        c.note("36,9", 2);
        assert_eq!(c.comma, None);
    }

    #[test]
    fn two_fields_of_digits_in_a_row_are_named_as_a_split_decimal() {
        let f = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(split_decimals(&f(&["s0", "36", "9", "x"])), ["36,9"]);
        assert_eq!(split_decimals(&f(&["1", "630", "5"])), ["1,630", "630,5"]);
        assert_eq!(split_decimals(&f(&["-3", "5"])), ["-3,5"]);
        assert!(split_decimals(&f(&["s0", "x", "9"])).is_empty());
    }
}
