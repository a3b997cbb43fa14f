//! The class report's two charts as SVG, drawn with `plotters` (its SVG backend only: text is
//! written as SVG `<text>` for the browser to lay out, so no font is needed here): the score
//! distribution and each check's pass rate.

use crate::class::ClassSummary;
use plotters::prelude::*;

const BAR: RGBColor = RGBColor(0x3b, 0x6e, 0xa8);
const PASS: RGBColor = RGBColor(0x2e, 0x8b, 0x57);
const FONT: &str = "sans-serif";

/// The words on the charts, from the catalogues in the language of the run.
mod words {
    pub fn score() -> String {
        crate::tr!("class-chart-score")
    }
    pub fn submissions() -> String {
        crate::tr!("class-chart-submissions")
    }
    pub fn passed() -> String {
        crate::tr!("class-chart-passed")
    }
}

/// The histogram of scores, in the summary's bins.
pub fn histogram(summary: &ClassSummary) -> Result<String, String> {
    let bins = summary.bins();
    let n = (bins.len() as u32).max(1);
    let tallest = bins.iter().map(|b| b.2).max().unwrap_or(0) as u32;
    // Room above the tallest bar, so that it does not touch the frame.
    let top = tallest + tallest.div_ceil(10).max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 300)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(48)
            // plotters' integer ranges hold both ends: 0..n - 1 is n segments.
            .build_cartesian_2d((0u32..n - 1).into_segmented(), 0u32..top)
            .map_err(|e| e.to_string())?;
        let label = |value: &SegmentValue<u32>| match value {
            SegmentValue::CenterOf(i) => bins
                .get(*i as usize)
                .map(|&(low, high, _)| {
                    if low == high {
                        low.to_string()
                    } else {
                        format!("{low}–{high}")
                    }
                })
                .unwrap_or_default(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .x_labels(n as usize)
            .x_label_formatter(&label)
            .y_labels((top as usize + 1).min(10))
            .y_label_formatter(&|y| y.to_string())
            .x_desc(words::score())
            .y_desc(words::submissions())
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 14))
            .draw()
            .map_err(|e| e.to_string())?;
        // Bars drawn in bin order (plotters' Histogram series keeps them in a hash map, whose
        // order changes from run to run: the page would not be the same twice).
        chart
            .draw_series(bins.iter().enumerate().map(|(i, b)| {
                let (from, to) = segment(i as u32, n);
                let mut bar = Rectangle::new([(from, 0), (to, b.2 as u32)], BAR.filled());
                bar.set_margin(0, 0, 4, 4);
                bar
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// One horizontal bar per check, the exercise's first check on top: the share of graded
/// submissions that passed it.
pub fn pass_rates(summary: &ClassSummary) -> Result<String, String> {
    let n = summary.checks.len() as u32;
    let height = 60 + 28 * n.max(1);
    let rates: Vec<(u32, f64)> = summary
        .checks
        .iter()
        .enumerate()
        .map(|(i, c)| (n - 1 - i as u32, percent(c.passed, c.graded)))
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(190)
            .build_cartesian_2d(0f64..100f64, (0u32..n.max(1) - 1).into_segmented())
            .map_err(|e| e.to_string())?;
        let label = |value: &SegmentValue<u32>| match value {
            SegmentValue::CenterOf(i) if *i < n => summary.checks[(n - 1 - i) as usize].id.clone(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .y_labels(n.max(1) as usize)
            .y_label_formatter(&label)
            .x_labels(11)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .x_desc(words::passed())
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 14))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(rates.into_iter().map(|(i, rate)| {
                let (from, to) = segment(i, n);
                let mut bar = Rectangle::new([(0.0, from), (rate, to)], PASS.filled());
                bar.set_margin(5, 5, 0, 0);
                bar
            }))
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Where segment `i` of `n` starts and ends.
fn segment(i: u32, n: u32) -> (SegmentValue<u32>, SegmentValue<u32>) {
    let end = if i + 1 < n {
        SegmentValue::Exact(i + 1)
    } else {
        SegmentValue::Last
    };
    (SegmentValue::Exact(i), end)
}

/// `part` of `whole` in percent; 0 of nothing is 0.
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::{summarise, tests::class};

    #[test]
    fn both_charts_are_svg_with_a_bar_per_bin_and_per_check() {
        let summary = summarise(&class());
        let svg = histogram(&summary).unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        // One rectangle for the background, one per non-empty bin; 10 and 0 fall in two bins.
        assert!(svg.matches("<rect").count() >= 3, "{svg}");
        assert!(svg.contains("\n0–3\n"), "the first bin is labelled: {svg}");
        let svg = pass_rates(&summary).unwrap();
        assert!(svg.contains("\nbackward.d_biases\n"), "{svg}");
        assert!(svg.contains("\ntrain.loss_decreases\n"), "{svg}");
    }

    #[test]
    fn every_size_of_class_and_exercise_draws() {
        let mut summary = summarise(&class());
        for max in [1, 3, 7, 35, 100, 1000] {
            for count in [0usize, 1, 2, 9, 10, 11, 99, 1000, 12_345] {
                summary.max_score = max;
                summary.scores = (0..count).map(|i| (i as u32 * 7) % (max + 1)).collect();
                let svg = histogram(&summary).unwrap_or_else(|e| panic!("{max}, {count}: {e}"));
                assert!(
                    svg.ends_with("</svg>\n") || svg.ends_with("</svg>"),
                    "{max}, {count}"
                );
                for c in &mut summary.checks {
                    c.graded = count;
                    c.passed = count / 3;
                }
                pass_rates(&summary).unwrap_or_else(|e| panic!("{max}, {count}: {e}"));
            }
        }
    }

    #[test]
    fn an_empty_class_still_draws() {
        let mut results = class();
        results.submissions.clear();
        let summary = summarise(&results);
        assert!(histogram(&summary).unwrap().starts_with("<svg"));
        results.checks.clear();
        assert!(pass_rates(&summarise(&results))
            .unwrap()
            .starts_with("<svg"));
    }
}
