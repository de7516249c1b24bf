//! The reader's engine: records one at a time, each with its line, from
//! the text of a file already read ([`super::parse`]) or from a file read
//! line by line ([`super::stream`], for logs too long to hold as text).
//! Both go through the same steps, so a file reads the same either way:
//!
//! 1. lines (a line end is `\n` or `\r\n`; one byte-order mark at the
//!    start is dropped), blank lines and `#` comments skipped;
//! 2. an Excel `sep=` first line, else the separator told from the header
//!    and the first [`SAMPLE`] rows ([`super::dialect`]);
//! 3. each line tidied ([`super::tidy`]) and fed to the `csv` crate, one
//!    record per line; the first problem in line order is the one reported
//!    (a line that is not UTF-8 or whose quotes are wrong stops the feed:
//!    the records before it are read first).

use super::dialect::{self, SAMPLE, Separator};
use super::{InputError, Row};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The longest line read from a file read line by line: far beyond any
/// row of a log, and a bound on the memory a line that never ends takes.
pub(super) const MAX_LINE_BYTES: u64 = 1 << 20;

/// Where the lines come from.
pub(super) enum Source<'t> {
    /// The text of a file already read and checked as UTF-8.
    Text {
        /// The lines left, numbered from 1.
        lines: std::iter::Enumerate<std::str::Lines<'t>>,
    },
    /// A file read line by line, up to `cap` bytes.
    File {
        /// The file.
        reader: BufReader<File>,
        /// Its name, for messages.
        path: PathBuf,
        /// The current line's bytes.
        buf: Vec<u8>,
        /// The current line's number.
        line: usize,
        /// Bytes read so far.
        read: u64,
        /// The most bytes read.
        cap: u64,
    },
}

impl<'t> Source<'t> {
    /// The lines of `text` (a byte-order mark at its start dropped).
    pub(super) fn text(text: &'t str) -> Source<'t> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Source::Text {
            lines: text.lines().enumerate(),
        }
    }

    /// The lines of the file at `path`, refused past `cap` bytes.
    pub(super) fn file(path: &Path, cap: u64) -> Result<Source<'static>, InputError> {
        let cannot = |e: std::io::Error| InputError::whole(path, format!("cannot read the file: {e}"));
        let f = File::open(path).map_err(cannot)?;
        if f.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(InputError::whole(path, "cannot read the file: it is a folder"));
        }
        Ok(Source::File {
            reader: BufReader::with_capacity(1 << 16, f),
            path: path.to_path_buf(),
            buf: Vec::new(),
            line: 0,
            read: 0,
            cap,
        })
    }

    /// The next line that is neither blank nor a comment (without its
    /// line end) and its number, or why a line cannot be read.
    fn next_content(&mut self) -> Option<Result<(usize, &str), InputError>> {
        let content = |t: &str| {
            let t = t.trim();
            !t.is_empty() && !t.starts_with('#')
        };
        match self {
            Source::Text { lines } => lines.find(|(_, l)| content(l)).map(|(i, l)| Ok((i + 1, l))),
            Source::File {
                reader,
                path,
                buf,
                line,
                read,
                cap,
            } => loop {
                buf.clear();
                // Read at most one byte past the caps: a pipe that never
                // ends, or a line that never does, stops there.
                let room = (*cap + 1).saturating_sub(*read).min(MAX_LINE_BYTES + 1);
                let n = match reader.by_ref().take(room).read_until(b'\n', buf) {
                    Ok(0) => return None,
                    Ok(n) => n,
                    Err(e) => return Some(Err(InputError::whole(path, format!("cannot read the file: {e}")))),
                };
                *read += n as u64;
                *line += 1;
                if *read > *cap {
                    return Some(Err(InputError::whole(
                        path,
                        format!(
                            "the file is larger than {} MB: split the log, or keep the rows and columns to analyse",
                            *cap >> 20
                        ),
                    )));
                }
                if buf.last() != Some(&b'\n') && n as u64 > MAX_LINE_BYTES {
                    return Some(Err(InputError::at(
                        path,
                        *line,
                        format!(
                            "this line is longer than {} MB: not a row of a CSV file",
                            MAX_LINE_BYTES >> 20
                        ),
                    )));
                }
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                    if buf.last() == Some(&b'\r') {
                        buf.pop();
                    }
                }
                let start = if *line == 1 && buf.starts_with("\u{feff}".as_bytes()) {
                    3
                } else {
                    0
                };
                let skip = std::str::from_utf8(&buf[start..]).is_ok_and(|t| !content(t));
                if skip {
                    continue;
                }
                return Some(match std::str::from_utf8(&buf[start..]) {
                    Ok(text) => Ok((*line, text)),
                    Err(_) => Err(InputError::at(
                        path,
                        *line,
                        "not UTF-8 text: a CSV file is expected (save it as UTF-8)",
                    )),
                });
            },
        }
    }
}

/// What the `csv` crate reads: the tidied content lines, one a line, each
/// line's number queued until its record is read. A line that cannot be
/// read or tidied ends the feed and is kept to be reported after the
/// records before it.
pub(super) struct Feed<'t> {
    /// The lines not yet fed.
    source: Source<'t>,
    /// Content lines read ahead (the header and the rows that told the
    /// separator), fed first.
    ahead: VecDeque<(usize, String)>,
    /// The separator.
    separator: char,
    /// Bytes of the line being fed, and how many were handed over.
    pending: Vec<u8>,
    /// How many bytes of `pending` were handed over.
    at: usize,
    /// The numbers of the lines fed whose records are not read yet.
    pub(super) lines: VecDeque<usize>,
    /// The problem that ended the feed, if one did.
    pub(super) broken: Option<InputError>,
    /// The last content line met.
    pub(super) last_line: usize,
    /// Whether any line was fed yet.
    started: bool,
}

impl Feed<'_> {
    /// Queues the next content line; false when there is none (or the
    /// feed is broken).
    fn refill(&mut self) -> bool {
        let (line, text) = match self.ahead.pop_front() {
            Some((line, text)) => (line, std::borrow::Cow::Owned(text)),
            None if self.broken.is_some() => return false,
            None => match self.source.next_content() {
                None => return false,
                Some(Err(e)) => {
                    self.broken = Some(e);
                    return false;
                }
                Some(Ok((line, text))) => (line, std::borrow::Cow::Borrowed(text)),
            },
        };
        self.last_line = self.last_line.max(line);
        let tidied = match super::tidy::tidy(&text, self.separator) {
            Ok(t) => t,
            Err(m) => {
                // The lines read ahead after this one are never fed.
                self.ahead.clear();
                self.broken = Some(InputError {
                    file: PathBuf::new(),
                    line: Some(line),
                    message: m,
                });
                return false;
            }
        };
        self.pending.clear();
        if !self.started && tidied.starts_with('\u{feff}') {
            // A second byte-order mark is text of the header: keep the csv
            // crate from skipping it (it skips empty lines, not this one).
            self.pending.push(b'\n');
        }
        self.started = true;
        self.pending.extend_from_slice(tidied.as_bytes());
        self.pending.push(b'\n');
        self.at = 0;
        self.lines.push_back(line);
        true
    }
}

impl Read for Feed<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at >= self.pending.len() && !self.refill() {
            return Ok(0);
        }
        let n = out.len().min(self.pending.len() - self.at);
        out[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The records of one source: the `csv` crate over its feed.
pub(super) struct Records<'t> {
    /// The file, for messages.
    file: PathBuf,
    /// The crate's reader.
    reader: csv::Reader<Feed<'t>>,
    /// The record read last.
    record: csv::StringRecord,
    /// The separator.
    pub(super) separator: Separator,
}

impl<'t> Records<'t> {
    /// Opens `source` (the contents of `file`): reads ahead to the header
    /// and the rows that tell the separator (unless `separator` is given).
    pub(super) fn open(
        mut source: Source<'t>,
        file: &Path,
        separator: Option<Separator>,
    ) -> Result<Records<'t>, InputError> {
        let mut ahead = VecDeque::new();
        let mut broken = None;
        let mut declared = None;
        let mut first = true;
        // The header and up to SAMPLE rows after it.
        while ahead.len() <= SAMPLE {
            match source.next_content() {
                None => break,
                Some(Err(e)) => {
                    broken = Some(e);
                    break;
                }
                Some(Ok((line, text))) => {
                    if first {
                        first = false;
                        if let Some(s) = dialect::declared(text) {
                            declared = Some(s);
                            continue;
                        }
                    }
                    ahead.push_back((line, text.to_string()));
                }
            }
        }
        let separator = match (separator, declared, ahead.front()) {
            (Some(s), _, _) | (None, Some(s), _) => s,
            (None, None, Some((header_line, header))) => {
                let rows: Vec<&str> = ahead.iter().skip(1).map(|r| r.1.as_str()).collect();
                dialect::separator(header, &rows).map_err(|m| InputError::at(file, *header_line, m))?
            }
            (None, None, None) => Separator::Comma,
        };
        let last_line = ahead.back().map_or(0, |a| a.0);
        let feed = Feed {
            source,
            ahead,
            separator: separator.char(),
            pending: Vec::new(),
            at: 0,
            lines: VecDeque::new(),
            broken,
            last_line,
            started: false,
        };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(separator.char() as u8)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(feed);
        Ok(Records {
            file: file.to_path_buf(),
            reader,
            record: csv::StringRecord::new(),
            separator,
        })
    }

    /// The next record and its line; at the end, the problem that stopped
    /// the feed, if one did.
    pub(super) fn next_row(&mut self) -> Option<Result<Row<'_>, InputError>> {
        match self.reader.read_record(&mut self.record) {
            Ok(true) => {
                let feed = self.reader.get_mut();
                let line = feed.lines.pop_front().unwrap_or(feed.last_line);
                Some(Ok(Row {
                    line,
                    record: &self.record,
                }))
            }
            Ok(false) => {
                let feed = self.reader.get_mut();
                feed.broken.take().map(|mut e| {
                    if e.file.as_os_str().is_empty() {
                        e.file = self.file.clone();
                    }
                    Err(e)
                })
            }
            Err(e) => {
                let feed = self.reader.get_mut();
                let line = feed.lines.pop_front().unwrap_or(feed.last_line);
                Some(Err(InputError::at(
                    &self.file,
                    line,
                    format!("cannot read this line: {e}"),
                )))
            }
        }
    }

    /// The last line holding anything, once every record is read.
    pub(super) fn last_line(&self) -> usize {
        self.reader.get_ref().last_line
    }
}
