//! Minimal CSV writing (RFC 4180 quoting) and number formatting shared by
//! the CSV exporters. Numbers use Rust's shortest round-trip formatting, which
//! is the same on every machine; undefined values are empty cells.

/// A field, quoted if it holds a comma, quote or line break.
pub(crate) fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A number; empty for `None` or a non-finite value.
pub(crate) fn num(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v}"),
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
    fn undefined_and_non_finite_numbers_are_empty() {
        assert_eq!(num(None), "");
        assert_eq!(num(Some(f64::NAN)), "");
        assert_eq!(num(Some(f64::INFINITY)), "");
        assert_eq!(num(Some(0.1)), "0.1");
    }
}
