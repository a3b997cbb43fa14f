//! The JSON report: the [`Report`] as one JSON object. This is the one place JSON reports are
//! written.

use crate::score::Report;

pub fn render(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a report always serialises");
    text.push('\n');
    text
}
