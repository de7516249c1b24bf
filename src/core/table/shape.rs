//! The shape of a field written like a number, read before any file's
//! conventions: its sign, its groups of digits, the points and commas
//! between them and its exponent. A file's dialect is found from the
//! shapes of its numbers, and each number is then read by that dialect
//! (`number.rs`).

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
    pub(super) fn grouped(&self) -> bool {
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
    pub(super) fn ungrouped(&self) -> String {
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
    pub(super) fn unambiguous(&self) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
