//! Currencies: a [`Currency`] is one of the codes of ISO 4217 (`CNY`,
//! `USD`, `EUR`, ...), the unit of money metrics (the gross merchandise
//! value of a platform's orders). It is a small copyable index into the
//! standard's list, so that a metric and its unit stay `Copy` and their
//! names `&'static str`.

use std::fmt;

/// Expands the list of codes into the table of codes and the table of
/// "per day" unit names, in the same order.
macro_rules! currencies {
    ($($code:ident)*) => {
        /// The currency codes of ISO 4217 (active codes, funds and
        /// precious metals included), in alphabetical order.
        const CODES: &[&str] = &[$(stringify!($code)),*];
        /// `CODE per day`, for each code of [`CODES`].
        const PER_DAY: &[&str] = &[$(concat!(stringify!($code), " per day")),*];
    };
}

currencies! {
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND
    BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU
    CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS
    GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
    KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
    MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD
    OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK
    SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD
    TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU
    XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW
    ZWG ZWL
}

/// A currency of ISO 4217.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency(u16);

impl Currency {
    /// The currency of code `code` (three upper-case letters of ISO 4217),
    /// or a message saying why it is not one.
    pub fn parse(code: &str) -> Result<Currency, String> {
        if let Some(i) = CODES.iter().position(|c| *c == code) {
            return Ok(Currency(i as u16));
        }
        let upper = code.trim().to_ascii_uppercase();
        let hint = if upper != code && CODES.contains(&upper.as_str()) {
            format!(" (did you mean \"{upper}\"? codes are written in upper case)")
        } else {
            String::new()
        };
        Err(format!(
            "\"{code}\" is not a currency code of ISO 4217{hint}: give three upper-case letters such as \"CNY\", \"USD\" or \"EUR\""
        ))
    }

    /// Its code (`CNY`).
    pub fn code(self) -> &'static str {
        CODES[usize::from(self.0)]
    }

    /// The name of a unit of this currency per day (`CNY per day`).
    pub fn per_day(self) -> &'static str {
        PER_DAY[usize::from(self.0)]
    }

    /// The currency whose unit name (as [`Currency::code`] or
    /// [`Currency::per_day`] write it) is `name`, and whether it is per day.
    pub fn of_unit_name(name: &str) -> Option<(Currency, bool)> {
        if let Some(i) = CODES.iter().position(|c| *c == name) {
            return Some((Currency(i as u16), false));
        }
        PER_DAY
            .iter()
            .position(|c| *c == name)
            .map(|i| (Currency(i as u16), true))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codes_are_three_upper_case_letters_sorted_and_unique() {
        assert!(CODES.windows(2).all(|w| w[0] < w[1]));
        assert!(
            CODES
                .iter()
                .all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
        );
        assert_eq!(CODES.len(), PER_DAY.len());
        assert!(CODES.len() < usize::from(u16::MAX));
    }

    #[test]
    fn a_code_is_read_back_and_anything_else_is_refused_with_a_hint() {
        let cny = Currency::parse("CNY").unwrap();
        assert_eq!(cny.code(), "CNY");
        assert_eq!(cny.to_string(), "CNY");
        assert_eq!(cny.per_day(), "CNY per day");
        assert_eq!(Currency::of_unit_name("CNY per day"), Some((cny, true)));
        assert_eq!(Currency::of_unit_name("CNY"), Some((cny, false)));
        assert_eq!(Currency::of_unit_name("users"), None);
        let e = Currency::parse("cny").unwrap_err();
        assert!(e.contains("did you mean \"CNY\""), "{e}");
        for bad in ["", "RMB", "CN", "CNYY", "¥", "US$"] {
            assert!(Currency::parse(bad).is_err(), "{bad}");
        }
    }
}
