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
use super::shape::{Shape, shape};
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
