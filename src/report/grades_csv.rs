//! `grades.csv`, the gradebook `grade batch` writes: one row per submission with its score, whether
//! it compiles, each check's points in the exercise's order, the diagnosed known mistakes, and why
//! it could not be graded when it could not. This is the one place the gradebook is written.

use crate::score::Report;

/// One submission of a batch.
pub struct Row<'a> {
    /// The submission's name: its file or folder name, without `.rs`.
    pub name: &'a str,
    /// Its report, or why it could not be graded (the error's message).
    pub graded: Result<&'a Report, &'a str>,
}

/// Renders the gradebook; `checks` are the exercise's check ids, in its order, so that the columns
/// are the same whether or not any submission could be graded.
pub fn render(checks: &[String], rows: &[Row]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["submission", "score", "max_score", "compiles"];
    header.extend(checks.iter().map(String::as_str));
    header.extend(["diagnoses", "error"]);
    writer.write_record(&header).expect("writes to memory");
    for row in rows {
        let record: Vec<String> = match row.graded {
            Ok(report) => {
                let mut record = vec![
                    row.name.to_string(),
                    report.score.to_string(),
                    report.max_score.to_string(),
                    report.build.ok.to_string(),
                ];
                record.extend(checks.iter().map(|id| {
                    report
                        .checks
                        .iter()
                        .find(|c| &c.id == id)
                        .map_or(String::new(), |c| c.score.to_string())
                }));
                let diagnoses: Vec<String> = report
                    .checks
                    .iter()
                    .filter_map(|c| Some(format!("{}:{}", c.id, c.diagnosis.as_ref()?)))
                    .collect();
                record.push(diagnoses.join(";"));
                record.push(String::new());
                record
            }
            Err(error) => {
                let mut record = vec![row.name.to_string()];
                record.extend((0..3 + checks.len() + 1).map(|_| String::new()));
                record.push(error.to_string());
                record
            }
        };
        writer.write_record(&record).expect("writes to memory");
    }
    String::from_utf8(writer.into_inner().expect("flushes to memory"))
        .expect("the fields are UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn one_row_per_submission_with_points_diagnoses_and_errors() {
        let report = sample::mixed();
        let unreadable = "cannot read \"bob\"\nat all";
        let checks: Vec<String> = report.checks.iter().map(|c| c.id.clone()).collect();
        let text = render(
            &checks,
            &[
                Row {
                    name: "alice, jr",
                    graded: Ok(&report),
                },
                Row {
                    name: "bob",
                    graded: Err(unreadable),
                },
            ],
        );
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header,
            [
                "submission",
                "score",
                "max_score",
                "compiles",
                "backward.d_biases",
                "backward.update",
                "train.loss_decreases",
                "diagnoses",
                "error"
            ]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].iter().collect::<Vec<_>>(),
            [
                "alice, jr",
                "10",
                "35",
                "true",
                "10",
                "0",
                "0",
                "backward.update:sign_flipped_update",
                ""
            ]
        );
        assert_eq!(&rows[1][0], "bob");
        assert_eq!(&rows[1][1], "");
        assert_eq!(&rows[1][8], "cannot read \"bob\"\nat all");
    }
}
