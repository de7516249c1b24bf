//! One line made ready for the `csv` crate. The crate takes a quote as
//! opening a quoted field only as the field's very first character, keeps
//! text after a closing quote as part of the field (`"12"h` is `12h`) and
//! lets a quote that is never closed run on over the following lines. A
//! table here is one record per line and ignores spaces around a field,
//! so before the crate reads a line, whitespace between a separator (or
//! the line's start) and an opening quote, and between a closing quote and
//! the next separator (or the line's end), is dropped; text after a closing
//! quote, and a quote not closed on its line, are refused.

use std::borrow::Cow;

/// Where the scan is in a line.
#[derive(Clone, Copy, PartialEq)]
enum At {
    /// Before a field's first character that is not whitespace.
    Start,
    /// In a field that does not start with a quote (a quote there is text).
    Unquoted,
    /// Inside a quoted field.
    Quoted,
    /// After a quoted field's closing quote.
    Closed,
}

/// `line` (without its line end) with the whitespace around quoted fields
/// dropped, or what is wrong with its quotes. A line without quotes is
/// returned as it is.
pub(super) fn tidy(line: &str, separator: char) -> Result<Cow<'_, str>, String> {
    if !line.contains('"') {
        return Ok(Cow::Borrowed(line));
    }
    let mut out = String::with_capacity(line.len());
    let mut pending = String::new();
    let mut at = At::Start;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        at = match at {
            At::Start if c == separator => {
                out.push_str(&pending);
                pending.clear();
                out.push(c);
                At::Start
            }
            At::Start if c.is_whitespace() => {
                pending.push(c);
                At::Start
            }
            At::Start if c == '"' => {
                pending.clear();
                out.push(c);
                At::Quoted
            }
            At::Start => {
                out.push_str(&pending);
                pending.clear();
                out.push(c);
                At::Unquoted
            }
            At::Unquoted => {
                out.push(c);
                if c == separator { At::Start } else { At::Unquoted }
            }
            At::Quoted if c == '"' && chars.peek() == Some(&'"') => {
                out.push_str("\"\"");
                chars.next();
                At::Quoted
            }
            At::Quoted => {
                out.push(c);
                if c == '"' { At::Closed } else { At::Quoted }
            }
            At::Closed if c == separator => {
                out.push(c);
                At::Start
            }
            At::Closed if c.is_whitespace() => At::Closed,
            At::Closed => return Err(format!("text after a closing quote: `{}`", line.trim())),
        };
    }
    if at == At::Quoted {
        return Err("a quote is never closed (a field cannot run over several lines)".into());
    }
    out.push_str(&pending);
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(line: &str, sep: char) -> Result<String, String> {
        tidy(line, sep).map(Cow::into_owned)
    }

    #[test]
    fn whitespace_around_quoted_fields_is_dropped_and_the_rest_kept() {
        assert_eq!(t("0, \"1,000\" ,x", ',').unwrap(), "0,\"1,000\",x");
        assert_eq!(t("1, \"say \"\"hi\"\"\" ", ',').unwrap(), "1,\"say \"\"hi\"\"\"");
        assert_eq!(t("a b,c\"d", ',').unwrap(), "a b,c\"d");
        assert_eq!(t("\t\"a\"\t;b", ';').unwrap(), "\"a\";b");
        // A tab that separates is kept; spaces around the quotes go.
        assert_eq!(t(" \"a\" \t \"b\"", '\t').unwrap(), "\"a\"\t\"b\"");
        assert_eq!(t("plain, fields", ','), Ok("plain, fields".into()));
    }

    #[test]
    fn text_after_a_closing_quote_and_an_open_quote_are_refused() {
        assert!(t("1,\"631\"x", ',').unwrap_err().contains("text after a closing quote"));
        assert!(t("\"12", ',').unwrap_err().contains("never closed"));
        assert!(t("a;\"b;c", ';').unwrap_err().contains("never closed"));
    }
}
