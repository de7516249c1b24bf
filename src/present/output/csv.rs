//! Minimal CSV writing (RFC 4180 quoting) and number formatting shared by
//! the CSV exporters. Numbers use Rust's shortest round-trip formatting, which
//! is the same on every machine; undefined values are empty cells.
//!
//! Every text cell goes through [`field`], which also neutralises it
//! against spreadsheet formulas (CSV injection), as OWASP advises: names
//! come from scenarios and data files that other people write, and a
//! platform named `=HYPERLINK("http://x","Tao")` would otherwise run as a
//! formula when an analyst opens the file in a spreadsheet. A text that
//! begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
//! leading single quote (which spreadsheets show as text, not a formula),
//! unless it is a plain number such as `-3` or `+2.5e-3`, which a
//! spreadsheet reads as that number.

use std::borrow::Cow;

/// Whether `s` is a plain decimal number: a sign, digits with at most one
/// point, an exponent.
fn plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let digits = mantissa.bytes().filter(u8::is_ascii_digit).count();
    let points = mantissa.bytes().filter(|&b| b == b'.').count();
    let mantissa_ok = digits > 0 && points <= 1 && digits + points == mantissa.len();
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// `s` as a spreadsheet will show it, never as a formula: a leading single
/// quote before a text that begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return (a plain number is left as it is).
pub(crate) fn neutralised(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !plain_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A text cell: neutralised against formulas ([`neutralised`]), then
/// quoted if it holds a comma, quote or line break.
pub(crate) fn field(s: &str) -> String {
    let s = neutralised(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}

/// A number; empty for `None` or a non-finite value.
pub(crate) fn num(x: Option<f64>) -> String {
    match x {
        // Adding +0.0 writes -0.0 as 0.
        Some(v) if v.is_finite() => format!("{}", v + 0.0),
        _ => String::new(),
    }
}

/// Appends one CSV line made of `cells`.
pub(crate) fn line(out: &mut String, cells: &[String]) {
    out.push_str(&cells.join(","));
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_separators_are_quoted_and_quotes_doubled() {
        assert_eq!(field("Meituan Select"), "Meituan Select");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn a_text_a_spreadsheet_would_run_as_a_formula_is_neutralised() {
        assert_eq!(
            field("=HYPERLINK(\"http://x\",\"Tao\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"Tao\"\")\""
        );
        assert_eq!(field("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(field("-2+3"), "'-2+3");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\t=1"), "'\t=1");
        assert_eq!(field("\r=1"), "\"'\r=1\"");
        // Numbers stay numbers; a sign or symbol inside a name is harmless.
        for plain in [
            "-3",
            "+2.5e-3",
            "-0.5",
            "1e5",
            "Meituan Select",
            "a=b",
            "Tao-1",
            "淘菜菜",
        ] {
            assert_eq!(field(plain), plain);
        }
        for text in ["-", "+", "-e5", "--1", "-1.2.3", "-inf", "-NaN", "-1e"] {
            assert!(field(text).starts_with('\''), "{text}");
        }
    }

    #[test]
    fn undefined_and_non_finite_numbers_are_empty() {
        assert_eq!(num(None), "");
        assert_eq!(num(Some(f64::NAN)), "");
        assert_eq!(num(Some(f64::INFINITY)), "");
        assert_eq!(num(Some(0.1)), "0.1");
    }
}
