//! Numbers as a file writes them. A field is read as a number by its
//! file's [`Dialect`]: a plain number (`36`, `-2.5e3`) as Rust reads it;
//! a decimal mark that the dialect says is the file's (`36,9` in a
//! semicolon-separated file whose decimals are commas is 36.9); anything
//! that could be read two ways is refused with what to write instead:
//! a comma in a number of a comma-separated file, a file that writes
//! decimals both ways, a single mark followed by exactly three digits
//! (`1,234`: a decimal or a thousand?) that no other number of the file
//! settles. Thousands separators (`1.234,5`, `1,000,000`, `1 000`) are
//! never accepted: the message gives the number without them. Infinite
//! and not-a-number values are refused.

use super::dialect::{Dialect, Seen, Separator};
use std::borrow::Cow;

/// Why a field is not a number.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NumberError {
    /// The field is empty.
    Missing,
    /// Not a finite number as this file writes them; what to write
    /// instead, when something can be said.
    NotANumber(Option<String>),
}

impl NumberError {
    /// `": what to write instead"`, to end a message, or nothing.
    pub(crate) fn why(&self) -> String {
        match self {
            NumberError::NotANumber(Some(w)) => format!(": {w}"),
            _ => String::new(),
        }
    }
}

/// A field shaped like a number: a sign, groups of digits joined by points
/// or commas, an exponent.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Shape<'a> {
    /// `-`, `+` or nothing.
    pub(crate) sign: &'a str,
    /// The groups of digits between the marks (the first or last may be
    /// empty: `.5`, `5.`).
    pub(crate) groups: Vec<&'a str>,
    /// The marks between the groups, in order.
    pub(crate) marks: Vec<char>,
    /// `e-3` or nothing.
    pub(crate) exponent: &'a str,
}

/// The shape of `field`, if it is shaped like a number.
pub(crate) fn shape(field: &str) -> Option<Shape<'_>> {
    let body = field.strip_prefix(['+', '-']).unwrap_or(field);
    let sign = &field[..field.len() - body.len()];
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], &body[i..]),
        None => (body, ""),
    };
    if !exponent.is_empty() {
        let digits = exponent[1..].strip_prefix(['+', '-']).unwrap_or(&exponent[1..]);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let (mut groups, mut marks, mut start) = (Vec::new(), Vec::new(), 0);
    for (i, c) in mantissa.char_indices() {
        match c {
            '0'..='9' => {}
            '.' | ',' => {
                groups.push(&mantissa[start..i]);
                marks.push(c);
                start = i + 1;
            }
            _ => return None,
        }
    }
    groups.push(&mantissa[start..]);
    let inner_empty = groups.len() > 2 && groups[1..groups.len() - 1].iter().any(|g| g.is_empty());
    if groups.iter().all(|g| g.is_empty()) || inner_empty {
        return None;
    }
    Some(Shape {
        sign,
        groups,
        marks,
        exponent,
    })
}

impl Shape<'_> {
    /// A single mark that could be a thousands separator: one to three
    /// digits not starting with 0, the mark, exactly three digits.
    fn grouped(&self) -> bool {
        match (self.marks.len(), self.groups.as_slice()) {
            (1, [a, b]) => {
                self.exponent.is_empty() && (1..=3).contains(&a.len()) && !a.starts_with('0') && b.len() == 3
            }
            _ => false,
        }
    }

    /// The decimal mark this number shows, if it shows one beyond doubt:
    /// its only mark unless that could be a thousands separator, or the
    /// last of several when it differs from the others (`1.234,5`).
    pub(crate) fn decimal_mark(&self) -> Option<char> {
        match self.marks.as_slice() {
            [] => None,
            [m] => (!self.grouped()).then_some(*m),
            [others @ .., last] => (!others.contains(last)).then_some(*last),
        }
    }

    /// The number without thousands separators: every mark but the
    /// decimal one dropped (`1.234,5` is `1234,5`; `1,000` is `1000`).
    fn ungrouped(&self) -> String {
        let decimal = match self.marks.as_slice() {
            [others @ .., last] if !others.is_empty() && !others.contains(last) => Some(*last),
            _ => None,
        };
        let whole = self.groups.len() - usize::from(decimal.is_some());
        let mut s = format!("{}{}", self.sign, self.groups[..whole].concat());
        if let Some(m) = decimal {
            s.push(m);
            s.push_str(self.groups[whole]);
        }
        s.push_str(self.exponent);
        s
    }

    /// A single-mark number written so that its mark cannot be a
    /// thousands separator: `1,000` as `1,0`, `1,234` as `1,2340`.
    fn unambiguous(&self) -> String {
        let (a, b) = (self.groups[0], self.groups.get(1).copied().unwrap_or(""));
        let b = b.trim_end_matches('0');
        let b = match b.len() {
            0 => "0".to_string(),
            3 => format!("{b}0"),
            _ => b.to_string(),
        };
        format!("{}{a}{}{b}", self.sign, self.marks.first().copied().unwrap_or('.'))
    }
}

/// `field` as Rust reads it, if finite.
fn finite(field: &str) -> Option<f64> {
    field.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The name of a mark: "point" or "comma".
fn name(mark: char) -> &'static str {
    if mark == ',' { "comma" } else { "point" }
}

/// `36,9 on line 4`, for messages.
fn seen(s: &Seen) -> String {
    format!("`{}` on line {}", s.text, s.line)
}

impl Dialect {
    /// `field` (trimmed) as a number of this file: see the module's doc.
    pub(crate) fn number(&self, field: &str) -> Result<f64, NumberError> {
        if field.is_empty() {
            return Err(NumberError::Missing);
        }
        let bad = |why: String| NumberError::NotANumber(Some(why));
        let Some(shape) = shape(field) else {
            return finite(field).ok_or_else(|| NumberError::NotANumber(spaced(field)));
        };
        let text: Cow<'_, str> = match shape.marks.as_slice() {
            [] => Cow::Borrowed(field),
            marks if self.separator == Separator::Comma && marks.contains(&',') => {
                return Err(bad(
                    "this file separates its columns with commas, so a comma in a number is ambiguous: \
                     write decimals with a point and no thousands separator (36.9, 1000), \
                     or save the file with semicolons between columns"
                        .into(),
                ));
            }
            [mark] => {
                self.decimal(*mark, &shape, field).map_err(bad)?;
                if *mark == ',' {
                    Cow::Owned(field.replace(',', "."))
                } else {
                    Cow::Borrowed(field)
                }
            }
            _ => {
                return Err(bad(format!(
                    "thousands separators are not accepted: write {}",
                    shape.ungrouped()
                )));
            }
        };
        finite(&text).ok_or(NumberError::NotANumber(None))
    }

    /// Whether `mark`, the only mark of `field`, is this file's decimal
    /// mark, or why it cannot be read as one.
    fn decimal(&self, mark: char, shape: &Shape<'_>, field: &str) -> Result<(), String> {
        if self.separator == Separator::Comma {
            return Ok(());
        }
        if let (Some(p), Some(c)) = (&self.point, &self.comma) {
            return Err(format!(
                "this file writes decimals both with a point ({}) and with a comma ({}): \
                 use one decimal mark throughout",
                seen(p),
                seen(c)
            ));
        }
        let (same, other) = if mark == '.' {
            (&self.point, &self.comma)
        } else {
            (&self.comma, &self.point)
        };
        match (same, other) {
            (Some(_), _) => Ok(()),
            (None, Some(o)) => Err(format!(
                "this file writes decimals with a {} ({}), so the {} in `{field}` would be a thousands \
                 separator, which is not accepted: write {}",
                name(if mark == '.' { ',' } else { '.' }),
                seen(o),
                name(mark),
                shape.ungrouped()
            )),
            (None, None) => Err(format!(
                "the {m} may be a decimal {m} or a thousands separator, and no other number in this {} file \
                 has a decimal mark to tell which: write {} for a whole number, or {} for a decimal",
                self.separator.separated(),
                shape.ungrouped(),
                shape.unambiguous(),
                m = name(mark),
            )),
        }
    }
}

/// What to write for a number with spaces as thousands separators (`1 000`,
/// with a space, a no-break space or a narrow one).
fn spaced(field: &str) -> Option<String> {
    if !field.contains(char::is_whitespace) {
        return None;
    }
    let joined: String = field.chars().filter(|c| !c.is_whitespace()).collect();
    shape(&joined).map(|_| format!("spaces are not accepted as thousands separators: write {joined}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn semicolons(point: Option<(&str, usize)>, comma: Option<(&str, usize)>) -> Dialect {
        let seen = |s: Option<(&str, usize)>| {
            s.map(|(t, l)| Seen {
                text: t.into(),
                line: l,
            })
        };
        Dialect {
            separator: Separator::Semicolon,
            point: seen(point),
            comma: seen(comma),
        }
    }

    fn why(d: &Dialect, field: &str) -> String {
        match d.number(field) {
            Err(e @ NumberError::NotANumber(Some(_))) => e.why(),
            other => panic!("{field}: {other:?}"),
        }
    }

    #[test]
    fn shapes_split_sign_groups_marks_and_exponent() {
        let s = shape("-1.234,5e-3").unwrap();
        assert_eq!(
            (s.sign, s.groups.as_slice(), s.marks.as_slice()),
            ("-", &["1", "234", "5"][..], &['.', ','][..])
        );
        assert_eq!(s.exponent, "e-3");
        assert_eq!(s.decimal_mark(), Some(','));
        assert_eq!(s.ungrouped(), "-1234,5e-3");
        assert!(shape(".5").is_some() && shape("5.").is_some());
        for not in ["", ".", "1..2", "1e", "1e+", "0x3e8", "12 h", "inf", "1-2"] {
            assert_eq!(shape(not), None, "{not}");
        }
        assert_eq!(shape("1,000").unwrap().decimal_mark(), None);
        assert_eq!(shape("0,500").unwrap().decimal_mark(), Some(','));
        assert_eq!(shape("1234,567").unwrap().decimal_mark(), Some(','));
        assert_eq!(shape("1,000,000").unwrap().decimal_mark(), None);
        assert_eq!(shape("1,000").unwrap().unambiguous(), "1,0");
        assert_eq!(shape("1.234").unwrap().unambiguous(), "1.2340");
        assert_eq!(shape("-2,250").unwrap().unambiguous(), "-2,25");
    }

    #[test]
    fn a_comma_separated_file_reads_points_and_refuses_commas_in_numbers() {
        let d = Dialect::new(Separator::Comma);
        assert_eq!(d.number("36.9"), Ok(36.9));
        assert_eq!(d.number("1.234"), Ok(1.234));
        assert_eq!(d.number("-2.5e3"), Ok(-2500.0));
        assert_eq!(d.number(""), Err(NumberError::Missing));
        for f in ["36,9", "1,000", "1,234.5"] {
            assert!(why(&d, f).contains("separates its columns with commas"), "{f}");
        }
        for f in ["inf", "NaN", "1e400", "abc", "0x3e8"] {
            assert_eq!(d.number(f), Err(NumberError::NotANumber(None)), "{f}");
        }
        assert!(why(&d, "1 000").contains("write 1000"));
        assert!(why(&d, "1\u{202f}000").contains("write 1000"));
    }

    #[test]
    fn a_semicolon_file_reads_the_decimal_mark_its_numbers_show() {
        let comma = semicolons(None, Some(("36,9", 4)));
        assert_eq!(comma.number("36,9"), Ok(36.9));
        assert_eq!(comma.number("1,000"), Ok(1.0));
        assert_eq!(comma.number("-0,5e1"), Ok(-5.0));
        assert_eq!(comma.number("12"), Ok(12.0));
        let w = why(&comma, "1.234");
        assert!(
            w.contains("with a comma (`36,9` on line 4)") && w.contains("write 1234"),
            "{w}"
        );
        assert!(why(&comma, "1.234,5").contains("thousands separators are not accepted: write 1234,5"));
        let point = semicolons(Some(("7.2", 5)), None);
        assert_eq!(point.number("1.234"), Ok(1.234));
        assert!(why(&point, "1,000").contains("with a point (`7.2` on line 5)"));
        let mixed = semicolons(Some(("7.2", 5)), Some(("36,9", 4)));
        assert!(why(&mixed, "36,9").contains("both with a point (`7.2` on line 5) and with a comma"));
        assert!(why(&mixed, "7.2").contains("use one decimal mark"));
        assert_eq!(mixed.number("7"), Ok(7.0));
        let none = semicolons(None, None);
        let w = why(&none, "1,000");
        assert!(w.contains("no other number in this semicolon-separated file"), "{w}");
        assert!(w.contains("write 1000 for a whole number, or 1,0 for a decimal"), "{w}");
    }
}
