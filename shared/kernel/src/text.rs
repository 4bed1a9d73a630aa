//! The text rules every domain shares: a length in characters (not bytes: names are often Chinese), and which
//! characters a line may hold. Names are one line; free text may span lines.

/// Whether a text may hold line breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// A name: no line breaks, no control characters at all.
    One,
    /// Free text: line breaks and tabs allowed, other control characters not.
    Many,
}

/// Why a text breaks its rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextRule {
    /// Empty where a value is needed.
    #[error("is required")]
    Required,
    /// Longer than allowed.
    #[error("must be at most {0} characters")]
    TooLong(usize),
    /// A line break in a one-line text.
    #[error("must be on one line")]
    LineBreak,
    /// A control character (other than a line break or tab in free text).
    #[error("must not contain control characters")]
    ControlCharacter,
}

/// Checks `value` has `min..=max` characters (`min` is 0 or 1) and only the characters `lines` allows.
pub fn check(value: &str, min: usize, max: usize, lines: Lines) -> Result<(), TextRule> {
    let length = value.chars().count();
    if length < min {
        return Err(TextRule::Required);
    }
    if length > max {
        return Err(TextRule::TooLong(max));
    }
    for c in value.chars().filter(|c| c.is_control()) {
        match (lines, c) {
            (Lines::Many, '\n' | '\t') => {}
            (Lines::One, '\n' | '\r') => return Err(TextRule::LineBreak),
            _ => return Err(TextRule::ControlCharacter),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert_eq!(check(&"刹".repeat(200), 1, 200, Lines::One), Ok(()));
        assert_eq!(check(&"刹".repeat(201), 1, 200, Lines::One), Err(TextRule::TooLong(200)));
    }

    #[test]
    fn an_empty_text_is_refused_only_when_required() {
        assert_eq!(check("", 1, 200, Lines::One), Err(TextRule::Required));
        assert_eq!(check("", 0, 200, Lines::One), Ok(()));
    }

    #[test]
    fn names_are_one_line_while_free_text_may_span_lines() {
        assert_eq!(check("brake\npad", 1, 200, Lines::One), Err(TextRule::LineBreak));
        assert_eq!(check("brake\r\npad", 1, 200, Lines::Many), Err(TextRule::ControlCharacter));
        assert_eq!(check("bore 82.5 mm\n\tstroke 92.8 mm", 0, 4000, Lines::Many), Ok(()));
    }

    #[test]
    fn control_characters_are_refused_everywhere() {
        assert_eq!(check("pad\u{7}", 1, 200, Lines::One), Err(TextRule::ControlCharacter));
        assert_eq!(check("pad\u{0}", 0, 4000, Lines::Many), Err(TextRule::ControlCharacter));
    }
}
