//! Numbers and money in words for people (reasons, the report, the terminal) and in tables.

/// A number as written in tables: whole numbers without a decimal point, others in their
/// shortest exact form.
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A number of people (or contacts) as written in reasons: whole, with thousands separators.
pub fn whole(v: f64) -> String {
    let n = v.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Money as written in reasons, with hundredths only where there are any: after a symbol
/// ("£1,200.50"), after a code and a space ("BRL 1,200"), or as a plain number where the study
/// gives no currency.
pub fn money(v: f64, currency: Option<&str>) -> String {
    let cents = (v * 100.0).round() as i64;
    let amount = if cents % 100 == 0 {
        whole(v)
    } else {
        format!("{}.{:02}", whole((cents / 100) as f64), (cents % 100).abs())
    };
    match currency {
        None => amount,
        Some(c) if c.chars().count() == 1 => format!("{c}{amount}"),
        Some(code) => format!("{code} {amount}"),
    }
}

/// A percent (already rounded to one decimal) as written in reasons.
pub fn pct(v: f64) -> String {
    format!("{}%", format_number(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_for_numbers() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(whole(1234567.4), "1,234,567");
        assert_eq!(whole(-1500.0), "-1,500");
        assert_eq!(whole(999.0), "999");
        assert_eq!(money(40000.0, Some("£")), "£40,000");
        assert_eq!(money(1234.5, Some("£")), "£1,234.50");
        assert_eq!(money(1234.0, Some("BRL")), "BRL 1,234");
        assert_eq!(money(1234.0, None), "1,234");
        assert_eq!(pct(12.5), "12.5%");
    }
}
