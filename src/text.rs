//! Text: positions in source text, both ways, and quoting at most so much of it. Parsers report a byte offset (toml) or a line and a
//! column in characters (proc-macro2, syn); messages and edits need the other one.

/// The 1-based line and column, in characters, of the byte `offset` of `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The byte offset of a 1-based `line` and a 0-based `column` counted in characters, as
/// proc-macro2 gives them.
pub(crate) fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[line_start..];
    line_start
        + rest
            .char_indices()
            .nth(column)
            .map_or(rest.len(), |(i, _)| i)
}

/// `text` cut to at most `cap` bytes (on a character boundary), saying how much was cut: what a
/// report or a message may quote of something a submission wrote, however long.
pub(crate) fn clip(text: &str, cap: usize) -> String {
    if text.len() <= cap {
        return text.to_string();
    }
    let mut end = cap;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} more bytes)", &text[..end], text.len() - end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(
            line_column("é\nab", 2),
            (1, 2),
            "a column counts characters"
        );
    }

    #[test]
    fn byte_offset_counts_characters() {
        assert_eq!(byte_offset("é\nab", 1, 1), 2);
        assert_eq!(byte_offset("é\nab", 2, 1), 4);
    }
}
