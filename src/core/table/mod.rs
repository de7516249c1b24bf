//! The one reader of every CSV file a user gives gatesim (retention tables
//! and duration logs for `gatesim fit`; review logs and observed series
//! next): a header, then records, each with the line it came from, so
//! that every later complaint names its line. The `csv` crate splits and
//! unquotes the fields (`"a, b"`, with `""` for a quote inside); on top:
//!
//! - the file is read up to [`MAX_FILE_BYTES`] (a device or a pipe that
//!   never ends is cut there and refused), and must be UTF-8 (the line of
//!   the first byte that is not is named); one byte-order mark is skipped;
//! - blank lines and lines starting with `#` (comments, e.g. the data's
//!   source) are skipped; Windows line ends are accepted; a record is one
//!   line, so a quote must close on its line ([`tidy`]), and text after a
//!   closing quote is refused;
//! - spaces around a field are ignored, quoted or not;
//! - the separator (comma, semicolon or tab) and the decimal mark (point
//!   or comma) are told from the file ([`dialect`]), and every number is
//!   read through [`Table::number`], which knows them ([`number`]);
//! - every column of the header must have a name, two columns of the same
//!   name (ignoring case) are refused, and every record must have as many
//!   fields as the header.
//!
//! Every refusal is an [`InputError`]: the file, the line, and a message
//! that names the column where one is at fault and says what to write.

mod dialect;
mod number;
mod shape;
mod stream;
mod tidy;

pub(crate) use dialect::{Dialect, Separator};
pub(crate) use number::NumberError;

use std::path::{Path, PathBuf};

/// Largest file read (bytes): far more than any table of counts or log of
/// durations a person keeps in a CSV, and a bound on what a device or a
/// pipe that never ends can make gatesim read.
pub(crate) const MAX_FILE_BYTES: u64 = 64 << 20;

/// Largest file read line by line ([`stream`], for logs): 4 GB, about 60
/// million rows of a review log, and a bound on what a pipe that never
/// ends can make gatesim read.
pub(crate) const MAX_STREAM_BYTES: u64 = 4 << 30;

/// A problem with an input file: which file, which line (1-based; `None`
/// when the file could not be read at all) and what is wrong.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{}: {message}", place(.file, .line))]
pub struct InputError {
    /// The file.
    pub file: PathBuf,
    /// The line, 1-based.
    pub line: Option<usize>,
    /// What is wrong and what is expected.
    pub message: String,
}

/// `file, line 3` or `file`.
fn place(file: &Path, line: &Option<usize>) -> String {
    match line {
        Some(l) => format!("{}, line {l}", file.display()),
        None => file.display().to_string(),
    }
}

impl InputError {
    /// A problem at `line` of `file`.
    pub fn at(file: &Path, line: usize, message: impl Into<String>) -> InputError {
        InputError {
            file: file.to_path_buf(),
            line: Some(line),
            message: message.into(),
        }
    }

    /// A problem with `file` as a whole (it cannot be read).
    pub fn whole(file: &Path, message: impl Into<String>) -> InputError {
        InputError {
            file: file.to_path_buf(),
            line: None,
            message: message.into(),
        }
    }
}

/// One record: its fields and its line (1-based).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Record {
    /// The line in the file.
    pub(crate) line: usize,
    /// The fields, unquoted and trimmed, as many as the header's.
    pub(crate) fields: Vec<String>,
}

/// A read file: its dialect, the header (trimmed, as written) and the
/// records.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Table {
    /// The file, for messages.
    pub(crate) file: PathBuf,
    /// How it writes its columns and numbers.
    pub(crate) dialect: Dialect,
    /// The header's line.
    pub(crate) header_line: usize,
    /// Column names, as written.
    pub(crate) header: Vec<String>,
    /// The records after the header.
    pub(crate) records: Vec<Record>,
    /// The last line holding anything (the header's when there are no records).
    pub(crate) last_line: usize,
}

impl Table {
    /// The index of the column named `name`, ignoring case.
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        column_of(&self.header, name)
    }

    /// The column names, comma-separated, for messages.
    pub(crate) fn columns(&self) -> String {
        self.header.join(",")
    }

    /// The index of the column named `name` (ignoring case), which the
    /// user gave with `flag`; else a refusal listing the columns, with the
    /// closest as a suggestion.
    pub(crate) fn find(&self, name: &str, flag: &str) -> Result<usize, InputError> {
        self.column(name)
            .ok_or_else(|| self.error(self.header_line, missing(name, flag, &self.header)))
    }

    /// `field` (of this table) read as a number in the file's dialect.
    pub(crate) fn number(&self, field: &str) -> Result<f64, NumberError> {
        self.dialect.number(field)
    }

    /// A problem at `line` of this file.
    pub(crate) fn error(&self, line: usize, message: impl Into<String>) -> InputError {
        InputError::at(&self.file, line, message)
    }
}

/// `" Did you mean `x`?"` for the candidate closest to `word` (ignoring
/// case) if it is at most two edits away, or nothing.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!(" Did you mean `{c}`?"))
        .unwrap_or_default()
}

/// `1 field`, `2 fields`.
pub(crate) fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Reads `file` (at most [`MAX_FILE_BYTES`]) and parses it.
pub(crate) fn read(file: &Path) -> Result<Table, InputError> {
    let bytes = read_capped(file)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        InputError::at(file, line, "not UTF-8 text: a CSV file is expected (save it as UTF-8)")
    })?;
    parse(&text, file)
}

/// The bytes of `file`, refused past [`MAX_FILE_BYTES`] without reading on.
fn read_capped(file: &Path) -> Result<Vec<u8>, InputError> {
    use std::io::Read;
    let cannot = |e: std::io::Error| InputError::whole(file, format!("cannot read the file: {e}"));
    let f = std::fs::File::open(file).map_err(cannot)?;
    if f.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(InputError::whole(file, "cannot read the file: it is a folder"));
    }
    let mut bytes = Vec::new();
    f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(InputError::whole(
            file,
            format!(
                "the file is larger than {} MB: more than a table of counts or a log of durations; \
                 keep the rows and columns to fit",
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    Ok(bytes)
}

/// Parses `text`, the contents of `file`: the first line that is neither
/// blank nor a comment (nor an Excel `sep=` line) is the header; every
/// record must have as many fields as the header.
pub(crate) fn parse(text: &str, file: &Path) -> Result<Table, InputError> {
    let mut records = stream::Records::open(stream::Source::text(text), file, None)?;
    let head = read_head(&mut records, file)?;
    let mut dialect = head.dialect.clone();
    let mut rows = Vec::new();
    while let Some(row) = records.next_row() {
        let row = row?;
        check_length(&row, &head)?;
        let fields: Vec<String> = (0..row.len()).map(|i| row.field(i).to_string()).collect();
        for f in &fields {
            dialect.note(f, row.line);
        }
        rows.push(Record { line: row.line, fields });
    }
    Ok(Table {
        file: file.to_path_buf(),
        dialect,
        header_line: head.header_line,
        header: head.header,
        records: rows,
        last_line: records.last_line().max(head.header_line),
    })
}

/// The header of `records` (its first record), checked.
fn read_head(records: &mut stream::Records<'_>, file: &Path) -> Result<Head, InputError> {
    let separator = records.separator;
    let (header_line, header) = match records.next_row() {
        Some(Ok(row)) => {
            let fields: Vec<String> = (0..row.len()).map(|i| row.field(i).to_string()).collect();
            check_header(&fields).map_err(|m| InputError::at(file, row.line, m))?;
            (row.line, fields)
        }
        Some(Err(e)) => return Err(e),
        None => {
            return Err(InputError::at(
                file,
                1,
                "the file is empty: expected a header line, then one row per line",
            ));
        }
    };
    Ok(Head {
        file: file.to_path_buf(),
        dialect: Dialect::new(separator),
        header_line,
        header,
    })
}

/// A row with as many fields as the header, or the refusal naming its line.
fn check_length(row: &Row<'_>, head: &Head) -> Result<(), InputError> {
    if row.len() == head.header.len() {
        return Ok(());
    }
    let fields: Vec<String> = (0..row.len()).map(|i| row.field(i).to_string()).collect();
    Err(InputError::at(
        &head.file,
        row.line,
        wrong_length(&fields, &head.header, head.dialect.separator),
    ))
}

/// One record as the reader hands it over: its line and its fields, each
/// trimmed when read.
#[derive(Debug)]
pub(crate) struct Row<'a> {
    /// The line in the file (1-based).
    pub(crate) line: usize,
    /// The fields as the `csv` crate read them.
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    /// How many fields the row has.
    pub(crate) fn len(&self) -> usize {
        self.record.len()
    }

    /// Field `i`, trimmed; empty past the last.
    pub(crate) fn field(&self, i: usize) -> &str {
        self.record.get(i).unwrap_or("").trim()
    }
}

/// What a streamed file says of itself before its rows: the file, its
/// dialect (complete: the whole file was read for it when its separator is
/// not the comma), the header's line and the column names.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Head {
    /// The file, for messages.
    pub(crate) file: PathBuf,
    /// How it writes its columns and numbers.
    pub(crate) dialect: Dialect,
    /// The header's line.
    pub(crate) header_line: usize,
    /// Column names, as written.
    pub(crate) header: Vec<String>,
}

impl Head {
    /// The index of the column named `name`, ignoring case.
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        column_of(&self.header, name)
    }

    /// The column names, comma-separated, for messages.
    pub(crate) fn columns(&self) -> String {
        self.header.join(",")
    }

    /// `field` read as a number in the file's dialect.
    pub(crate) fn number(&self, field: &str) -> Result<f64, NumberError> {
        self.dialect.number(field)
    }

    /// A problem at `line` of this file.
    pub(crate) fn error(&self, line: usize, message: impl Into<String>) -> InputError {
        InputError::at(&self.file, line, message)
    }
}

/// A file read a row at a time ([`stream`], [`stream_text`]).
pub(crate) struct Stream<'t> {
    /// The file's header and dialect.
    head: Head,
    /// Its records after the header.
    records: stream::Records<'t>,
}

impl Stream<'_> {
    /// The header and the dialect.
    pub(crate) fn head(&self) -> &Head {
        &self.head
    }

    /// The next row, checked to have as many fields as the header, or the
    /// first problem met; `None` at the end.
    pub(crate) fn next_row(&mut self) -> Option<Result<Row<'_>, InputError>> {
        let head = &self.head;
        match self.records.next_row()? {
            Ok(row) => Some(check_length(&row, head).map(|()| row)),
            Err(e) => Some(Err(e)),
        }
    }

    /// The last line holding anything (the header's when there are no
    /// rows), once every row is read.
    pub(crate) fn last_line(&self) -> usize {
        self.records.last_line().max(self.head.header_line)
    }
}

/// Opens `file` (at most [`MAX_STREAM_BYTES`], lines of at most a
/// megabyte) to read a row at a time, never holding more than a line: the same reading as [`read`] (every
/// problem named by its line; a line that is not UTF-8 is refused when it
/// is reached, after the rows before it). A file whose separator is not
/// the comma is read twice: first to learn its decimal mark from every
/// number in it (as [`read`] does before any number is read), then for its
/// rows.
pub(crate) fn stream(file: &Path) -> Result<Stream<'static>, InputError> {
    streamed(file, || stream::Source::file(file, MAX_STREAM_BYTES))
}

/// `text`, the contents of `file`, read a row at a time as [`stream`]
/// reads a file.
pub(crate) fn stream_text<'t>(text: &'t str, file: &Path) -> Result<Stream<'t>, InputError> {
    streamed(file, || Ok(stream::Source::text(text)))
}

/// A stream over the source `open` opens (twice for a file whose
/// separator is not the comma).
fn streamed<'t>(
    file: &Path,
    open: impl Fn() -> Result<stream::Source<'t>, InputError>,
) -> Result<Stream<'t>, InputError> {
    let mut records = stream::Records::open(open()?, file, None)?;
    let mut head = read_head(&mut records, file)?;
    if head.dialect.separator != Separator::Comma {
        while let Some(row) = records.next_row() {
            let row = row?;
            check_length(&row, &head)?;
            for i in 0..row.len() {
                head.dialect.note(row.field(i), row.line);
            }
        }
        records = stream::Records::open(open()?, file, Some(head.dialect.separator))?;
        read_head(&mut records, file)?;
    }
    Ok(Stream { head, records })
}

/// The index of the column named `name` in `header`, ignoring case.
fn column_of(header: &[String], name: &str) -> Option<usize> {
    let name = name.to_lowercase();
    header.iter().position(|h| h.to_lowercase() == name)
}

/// The message for a column `name` (given with `flag`) that `header` lacks.
fn missing(name: &str, flag: &str, header: &[String]) -> String {
    format!(
        "no column `{name}` ({flag}); the columns are {}.{}",
        header.join(","),
        did_you_mean(name, header.iter().map(String::as_str))
    )
}

/// Every column named, no two alike (ignoring case).
fn check_header(fields: &[String]) -> Result<(), String> {
    if let Some(k) = fields.iter().position(String::is_empty) {
        return Err(format!("column {} of the header has no name", k + 1));
    }
    let lower: Vec<String> = fields.iter().map(|f| f.to_lowercase()).collect();
    for (k, h) in lower.iter().enumerate() {
        if let Some(j) = lower[..k].iter().position(|o| o == h) {
            return Err(format!(
                "column `{}` appears twice (columns {} and {})",
                fields[k],
                j + 1,
                k + 1
            ));
        }
    }
    Ok(())
}

/// The message for a row of `fields` under a header of another length;
/// in a comma-separated file, a row split at what may be a decimal comma
/// says so.
fn wrong_length(fields: &[String], header: &[String], separator: Separator) -> String {
    let mut m = format!(
        "this row has {}, but the header `{}` has {}",
        plural(fields.len(), "field"),
        header.join(","),
        header.len()
    );
    let split = dialect::split_decimals(fields);
    if separator == Separator::Comma && fields.len() > header.len() && !split.is_empty() {
        let example = match split.as_slice() {
            [one] => one.replace(',', "."),
            _ => "36.9".into(),
        };
        m.push_str(&format!(
            "; if `{}` is one number with a decimal comma: this file separates its columns with commas, \
             so write decimals with a point ({example}), or save the file with semicolons between columns",
            split.join("` or `")
        ));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Table, InputError> {
        parse(text, Path::new("x.csv"))
    }

    #[test]
    fn comments_blank_lines_and_quotes_are_read_with_their_line_numbers() {
        let t =
            p("\u{feff}# source\n\nperiod, active\r\n0,\"1,000\"\n  # indented\n\n1, \"say \"\"hi\"\"\" \n").unwrap();
        assert_eq!(t.header, ["period", "active"]);
        assert_eq!(t.header_line, 3);
        assert_eq!(t.records[0].line, 4);
        assert_eq!(t.records[0].fields, ["0", "1,000"]);
        assert_eq!(t.records[1].line, 7);
        assert_eq!(t.records[1].fields, ["1", "say \"hi\""]);
        assert_eq!(t.last_line, 7);
        assert_eq!(t.column("ACTIVE"), Some(1));
        assert_eq!(t.dialect.separator, Separator::Comma);
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

    #[test]
    fn the_first_problem_in_line_order_is_the_one_reported() {
        let e = p("a,b\n1\n\"open\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = p("a,b\n1,2\n\"open,3\n4\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("never closed"), "{}", e.message);
        let e = p("a,b\n1,\"2\"x\n").unwrap_err();
        assert!(e.message.contains("text after a closing quote"), "{}", e.message);
    }

    #[test]
    fn semicolons_tabs_and_an_excel_sep_line_are_read_as_separators() {
        let t = p("id;hours;pending\ns001;36,9;0\ns002;\"7;2\";1\n").unwrap();
        assert_eq!(t.dialect.separator, Separator::Semicolon);
        assert_eq!(t.records[1].fields, ["s002", "7;2", "1"]);
        assert_eq!(t.number(&t.records[0].fields[1]), Ok(36.9));
        let t = p("period\tactive\n0\t1000\n1\t 631 \n").unwrap();
        assert_eq!(t.records[1].fields, ["1", "631"]);
        let t = p("sep=;\nperiod;active,x\n0;1\n").unwrap();
        assert_eq!((t.header_line, t.header.len()), (2, 2));
        let e = p("a,b;c\n1,2;3\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("commas and semicolons"), "{}", e.message);
    }

    #[test]
    fn a_comma_row_split_at_a_decimal_comma_says_so() {
        let e = p("id,hours\ns0,36,9\n").unwrap_err();
        assert!(
            e.message
                .starts_with("this row has 3 fields, but the header `id,hours` has 2")
        );
        assert!(
            e.message.contains("if `36,9` is one number with a decimal comma"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("write decimals with a point (36.9)"),
            "{}",
            e.message
        );
        let e = p("id,hours\ns0\n").unwrap_err();
        assert!(!e.message.contains("decimal comma"), "{}", e.message);
    }

    #[test]
    fn a_second_byte_order_mark_stays_in_the_header() {
        let t = p("\u{feff}\u{feff}period,active\n0,1\n").unwrap();
        assert_eq!(t.header[0], "\u{feff}period");
        assert_eq!(t.column("period"), None);
    }

    #[test]
    fn missing_columns_are_named_with_the_closest() {
        let t = p("id,hours,pending\n1,2,0\n").unwrap();
        assert_eq!(t.find("HOURS", "--column"), Ok(1));
        let e = t.find("hour", "--column").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(
            e.message
                .contains("no column `hour` (--column); the columns are id,hours,pending.")
        );
        assert!(e.message.ends_with("Did you mean `hours`?"), "{}", e.message);
        assert!(
            !t.find("minutes", "--column")
                .unwrap_err()
                .message
                .contains("Did you mean")
        );
    }

    #[test]
    fn errors_name_the_file_and_the_line() {
        assert_eq!(
            InputError::at(Path::new("d.csv"), 3, "bad").to_string(),
            "d.csv, line 3: bad"
        );
        assert_eq!(InputError::whole(Path::new("d.csv"), "gone").to_string(), "d.csv: gone");
    }

    #[test]
    fn any_text_is_read_or_refused_at_one_of_its_lines() {
        use crate::core::rng::Stream;
        use rand::{RngExt, SeedableRng};
        const CHARS: [char; 17] = [
            ',', ';', '\t', '"', '\n', '\r', ' ', '#', '0', '1', '9', '.', 'e', '-', 'a', '\u{feff}', '\u{a0}',
        ];
        // 256 random texts of up to 160 of these characters, from a fixed
        // seed: the same texts on every run and machine.
        let mut rng = Stream::seed_from_u64(11);
        for _ in 0..256 {
            let len = rng.random_range(0..160);
            let text: String = (0..len).map(|_| CHARS[rng.random_range(0..CHARS.len())]).collect();
            match p(&text) {
                Ok(t) => {
                    assert!(t.header_line <= t.last_line, "{text:?}");
                    for r in &t.records {
                        assert_eq!(r.fields.len(), t.header.len(), "{text:?}");
                        for f in &r.fields {
                            let _ = t.number(f);
                        }
                    }
                }
                Err(e) => {
                    let line = e.line.unwrap_or(0);
                    assert!((1..=text.lines().count().max(1)).contains(&line), "{text:?}: {e}");
                }
            }
        }
    }

    /// Every row of `text` read a row at a time from a file, or the first
    /// problem.
    fn streamed(text: &[u8]) -> Result<(Head, Vec<Record>, usize), InputError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        std::fs::write(&path, text).unwrap();
        let mut s = stream(&path)?;
        let mut rows = Vec::new();
        while let Some(row) = s.next_row() {
            let row = row?;
            rows.push(Record {
                line: row.line,
                fields: (0..row.len()).map(|i| row.field(i).to_string()).collect(),
            });
        }
        let last = s.last_line();
        Ok((s.head().clone(), rows, last))
    }

    #[test]
    fn a_file_read_a_row_at_a_time_reads_as_the_whole_file_does() {
        let texts = [
            "\u{feff}# source\n\nperiod, active\r\n0,\"1,000\"\n  # indented\n\n1, \"say \"\"hi\"\"\" \n",
            "id;hours;pending\ns001;36,9;0\ns002;\"7;2\";1\n",
            "sep=;\nperiod;active,x\n0;1\n",
            "period\tactive\n0\t1000\n1\t 631 \n",
            "\u{feff}\u{feff}period,active\n0,1\n",
            "a,b\n1,2",
            "a,b\n1,2\r",
            "hours\n36,9\n7,2\n",
            "a,b\n1\n\"open\n",
            "a,b\n1,2\n\"open,3\n4\n",
            "a,b\n1,\"2\"x\n",
            "",
            "# only a comment\n",
            "a,\n",
            "a,b;c\n1,2;3\n",
            "# c\nhours,x,Hours\n1,2,3\n",
            "id,hours\ns0,36,9\n",
            "a,b\n",
        ];
        for text in texts {
            let whole = parse(text, Path::new("x.csv"));
            let rows = streamed(text.as_bytes());
            match (whole, rows) {
                (Ok(t), Ok((head, records, last))) => {
                    assert_eq!((head.header_line, &head.header), (t.header_line, &t.header), "{text:?}");
                    assert_eq!(head.dialect.separator, t.dialect.separator, "{text:?}");
                    assert_eq!(records, t.records, "{text:?}");
                    assert_eq!(last, t.last_line, "{text:?}");
                }
                (Err(a), Err(b)) => {
                    assert_eq!((a.line, &a.message), (b.line, &b.message), "{text:?}");
                    assert!(b.file.ends_with("x.csv"), "{b}");
                }
                (a, b) => panic!("{text:?}: read {a:?}, streamed {b:?}"),
            }
        }
    }

    #[test]
    fn a_streamed_file_knows_its_decimal_mark_from_every_row_before_the_first() {
        // `1,234` alone could be a thousand; a later `36,9` settles it as a
        // decimal comma, as when the whole file is read.
        let text = "id;hours\ns1;1,234\ns2;36,9\n";
        let (head, records, _) = streamed(text.as_bytes()).unwrap();
        assert_eq!(head.number(&records[0].fields[1]), Ok(1.234));
        let t = parse(text, Path::new("x.csv")).unwrap();
        assert_eq!(t.number(&t.records[0].fields[1]), Ok(1.234));
    }

    #[test]
    fn a_streamed_line_that_is_not_utf8_is_refused_after_the_rows_before_it() {
        let mut text = b"a,b\n1,2\n3,4\n".to_vec();
        text.extend_from_slice(b"5,\xff\n6,7\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        std::fs::write(&path, &text).unwrap();
        let mut s = stream(&path).unwrap();
        assert_eq!(s.next_row().unwrap().unwrap().line, 2);
        assert_eq!(s.next_row().unwrap().unwrap().line, 3);
        let e = s.next_row().unwrap().unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(e.message.contains("not UTF-8"), "{e}");
        // A comment line that is not UTF-8 is refused too.
        let e = streamed(b"a\n# \xff\n1\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        // A row too short is named with its line.
        let e = streamed(b"a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        // A line that never ends is cut at a megabyte.
        let mut long = b"a,b\n1,2\n".to_vec();
        long.extend(std::iter::repeat_n(b'x', (2 << 20) as usize));
        let e = streamed(&long).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("longer than 1 MB"), "{e}");
        assert!(stream(Path::new("/no/such/file.csv")).is_err());
    }

    #[test]
    fn a_folder_and_a_missing_file_are_refused_without_a_line() {
        let dir = std::env::temp_dir();
        let e = read(&dir).unwrap_err();
        assert_eq!(e.line, None);
        assert!(e.message.contains("folder"), "{e}");
        let e = read(Path::new("/no/such/file.csv")).unwrap_err();
        assert!(e.message.starts_with("cannot read the file"), "{e}");
    }
}
