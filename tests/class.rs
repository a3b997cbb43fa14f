//! The class report of `grade batch` (report.html parsed as a browser would, summary.md, and a
//! screenshot where a headless Chromium is installed), shards graded by separate processes as
//! Slurm, Kubernetes and a GitHub matrix would start them and merged back into the unsharded
//! batch, and `--report FORMAT=PATH`. All on real compiles of a small real class.
#![cfg(unix)]

mod common;

use common::*;
use predicates::prelude::*;
use scraper::{ElementRef, Html, Selector};
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::OnceLock;

/// A file name a student could choose to attack the page.
const HOSTILE: &str = "<script>alert(\"x\")<\\script>'";

/// The class: the reference (twice, once under a hostile name), the stub, three known mistakes and
/// a rewrite of one, a submission that does not compile, and a folder without code.
fn class_folder(root: &Path) -> PathBuf {
    let subs = root.join("submissions");
    std::fs::create_dir_all(subs.join("nobody")).unwrap();
    std::fs::write(subs.join("nobody/README.md"), "I forgot my code").unwrap();
    let copy = |from: PathBuf, name: &str| {
        std::fs::copy(&from, subs.join(format!("{name}.rs")))
            .unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    };
    let mistake = |id: &str| root_path(&format!("solutions/backprop/mistakes/{id}.rs"));
    copy(reference(), "ada");
    copy(reference(), HOSTILE);
    copy(exercise().join("src/backprop.rs"), "stub");
    copy(mistake("sign_flipped_update"), "sign_flipped_update");
    copy(fixture("wrong/sign_error.rs"), "bob");
    copy(
        mistake("missing_activation_derivative"),
        "missing_activation_derivative",
    );
    copy(mistake("loss_not_averaged"), "loss_not_averaged");
    copy(fixture("wrong/syntax_error.rs"), "broken");
    subs
}

fn root_path(relative: &str) -> PathBuf {
    root().join(relative)
}

/// A folder under the target's temporary folder, emptied first.
fn work(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("class-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The class folder and the output of one unsharded batch of it, made once for the tests here.
fn unsharded() -> &'static (PathBuf, PathBuf) {
    static ONCE: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    ONCE.get_or_init(|| {
        let dir = work("unsharded");
        let subs = class_folder(&dir);
        let out = dir.join("grades");
        grade()
            .arg("batch")
            .arg(exercise())
            .arg(&subs)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2) // `nobody` could not be graded
            .stdout(predicate::str::contains("graded 8 of 9 submissions"))
            .stdout(predicate::str::contains("report.html"));
        (subs, out)
    })
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// `%XX` escapes decoded.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn the_class_page_is_self_contained_with_charts_ranked_mistakes_and_every_report_linked() {
    let (_, out) = unsharded();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let doc = Html::parse_document(&html);
    assert!(
        doc.errors.is_empty(),
        "HTML5 parse errors: {:?}",
        doc.errors
    );
    assert!(text(&select(&doc, "title")[0]).starts_with("Class report"));
    // Self-contained and readable without scripts: nothing loaded from elsewhere.
    assert!(
        select(&doc, "script").is_empty(),
        "no script element: {html}"
    );
    assert!(select(&doc, "link, img, iframe, [src]").is_empty());
    let counts: Vec<String> = select(&doc, "#counts dd").iter().map(text).collect();
    assert_eq!(counts[..3], ["9", "8", "50.6/100"], "{counts:?}");

    // The histogram: one bar per score bin, drawn as SVG, labelled.
    let histogram = select(&doc, "#histogram svg");
    assert_eq!(histogram.len(), 1);
    let labels: Vec<String> = select(&doc, "#histogram svg text")
        .iter()
        .map(text)
        .collect();
    for label in ["0–9", "90–100", "score", "submissions"] {
        assert!(labels.iter().any(|l| l == label), "{label} in {labels:?}");
    }
    assert!(select(&doc, "#histogram svg rect").len() > 3);
    let rates: Vec<String> = select(&doc, "#pass-rates svg text")
        .iter()
        .map(text)
        .collect();
    assert!(
        rates.iter().any(|l| l == "train.loss_decreases"),
        "{rates:?}"
    );
    assert_eq!(select(&doc, "#check-table tr").len(), 1 + 9);

    // Mistakes ranked by how many submissions make them, with the catalogue's title and hint.
    let rows = select(&doc, "#mistake-table tr");
    let first: Vec<String> = rows[1].child_elements().map(|c| text(&c)).collect();
    assert_eq!(first[0], "1");
    assert!(first[1].ends_with("sign_flipped_update"), "{first:?}");
    assert!(first[1].starts_with("the update moves the parameters up the gradient"));
    assert!(first[2].starts_with("Gradient descent subtracts"));
    assert!(first[4].starts_with("2 submissions"), "{first:?}");
    let counts: Vec<usize> = rows[1..]
        .iter()
        .map(|r| {
            let cell = text(&r.child_elements().nth(4).unwrap());
            cell.split(' ').next().unwrap().parse().unwrap()
        })
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert_eq!(counts.len(), 3, "three known mistakes recognised");

    // What no known mistake explains: the stub's failures, by check.
    let unexplained: Vec<String> = select(&doc, "#unexplained ~ details summary")
        .iter()
        .map(text)
        .collect();
    assert!(
        unexplained
            .iter()
            .any(|s| s.starts_with("backward.d_biases")),
        "{unexplained:?}"
    );
    let broken: Vec<String> = select(&doc, "#not-compiling + ul li")
        .iter()
        .map(text)
        .collect();
    assert_eq!(broken.len(), 1);
    assert!(broken[0].starts_with("broken: error"), "{broken:?}");
    let nobody: Vec<String> = select(&doc, "#not-graded + ul li")
        .iter()
        .map(text)
        .collect();
    assert!(nobody[0].starts_with("nobody: ") && nobody[0].contains("src/backprop.rs"));

    // Every submission, each linking its own report, the hostile name shown as text.
    let rows = select(&doc, "#submission-table tr");
    assert_eq!(rows.len(), 1 + 9);
    let mut linked = 0;
    for link in select(&doc, "#submission-table a") {
        let target = out.join(percent_decode(link.value().attr("href").unwrap()));
        assert!(
            target.is_file(),
            "{} links {}",
            text(&link),
            target.display()
        );
        let report = std::fs::read_to_string(&target).unwrap();
        assert!(
            report.contains(&format!("`{}`", text(&link).replace('`', "'"))),
            "{report}"
        );
        linked += 1;
    }
    assert_eq!(linked, 8, "every graded submission links its report");
    assert!(select(&doc, "#submission-table a")
        .iter()
        .any(|a| text(a) == HOSTILE));
}

#[test]
fn the_summary_is_the_same_report_in_markdown_with_names_escaped() {
    let (_, out) = unsharded();
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    for heading in [
        "## Class report: ",
        "### Score distribution",
        "### Checks",
        "### Recognised mistakes",
        "### Failures no known mistake explains",
        "### Submissions that do not compile",
        "### Submissions that could not be graded",
        "### Every submission",
    ] {
        assert!(md.contains(heading), "{heading}:\n{md}");
    }
    assert!(!md.contains("<script"), "{md}");
    assert!(
        md.contains("&lt;script&gt;alert(\"x\")&lt;\\\\script&gt;'"),
        "{md}"
    );
    assert!(
        md.contains("| 1 | the update moves the parameters up the gradient"),
        "{md}"
    );
    assert!(
        md.contains("| [ada](reports/ada.md) | 100/100 | yes |"),
        "{md}"
    );
}

#[test]
fn chromium_renders_the_page() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        eprintln!("NOT CHECKED: /usr/bin/chromium is not installed (Debian's chromium package)");
        return;
    }
    let (_, out) = unsharded();
    let dir = work("chromium");
    let png = dir.join("report.png");
    let output = Process::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1000,1400",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", out.join("report.html").display()))
        .output()
        .unwrap();
    assert!(
        png.is_file(),
        "no screenshot: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // A blank page compresses to a few KiB; charts, tables and text do not.
    assert!(
        bytes.len() > 50_000,
        "a near-empty screenshot: {} bytes",
        bytes.len()
    );
}

/// `grade batch --shard SPEC` of `subs` into `out`, with `env`, as its own process.
fn shard(subs: &Path, out: &Path, spec: &str, env: &[(&str, &str)]) -> std::process::Child {
    let mut command = Process::new(assert_cmd::cargo::cargo_bin!("grade"));
    command
        .env("GRADE_CACHE_DIR", cache())
        .env("NO_COLOR", "1")
        .env_remove("GRADE_SEED")
        .arg("batch")
        .arg(exercise())
        .arg(subs)
        .args(["--jobs", "1", "--shard", spec, "--out"])
        .arg(out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    command.spawn().unwrap()
}

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let mut rows = vec![reader.headers().unwrap().iter().map(String::from).collect()];
    rows.extend(
        reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect()),
    );
    rows
}

#[test]
fn three_shards_from_three_engines_merge_into_the_unsharded_batch() {
    let (subs, whole) = unsharded();
    let dir = work("shards");
    let outs: Vec<PathBuf> = (1..=3).map(|k| dir.join(format!("shard-{k}"))).collect();
    let children = [
        shard(
            subs,
            &outs[0],
            "slurm/3",
            &[
                ("SLURM_ARRAY_TASK_ID", "1"),
                ("SLURM_ARRAY_TASK_MIN", "1"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
            ],
        ),
        shard(subs, &outs[1], "k8s/3", &[("JOB_COMPLETION_INDEX", "1")]),
        shard(
            subs,
            &outs[2],
            "env:GRADE_MATRIX_SHARD/3",
            &[("GRADE_MATRIX_SHARD", "3")],
        ),
    ];
    let mut sizes = Vec::new();
    for (k, child) in children.into_iter().enumerate() {
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            matches!(output.status.code(), Some(0 | 2)),
            "shard {}: {stderr}",
            k + 1
        );
        assert!(
            stderr.contains(&format!("shard {} of 3", k + 1)),
            "{stderr}"
        );
        sizes.push(csv_rows(&outs[k].join("grades.csv")).len() - 1);
    }
    assert_eq!(sizes.iter().sum::<usize>(), 9);
    assert!(
        sizes.iter().all(|&n| (2..=4).contains(&n)),
        "balanced: {sizes:?}"
    );

    let merged = dir.join("merged");
    grade()
        .arg("merge")
        .args(&outs)
        .arg("--out")
        .arg(&merged)
        .assert()
        .code(2)
        .stdout(predicate::str::contains("graded 8 of 9 submissions"));
    let (a, b) = (
        csv_rows(&whole.join("grades.csv")),
        csv_rows(&merged.join("grades.csv")),
    );
    assert_eq!(a.len(), 10);
    for (row_a, row_b) in a.iter().zip(&b) {
        assert_eq!(row_a, row_b);
    }
    assert_eq!(a.len(), b.len());
    for file in [
        "summary.md",
        "report.html",
        "results.json",
        "reports/bob.json",
        "reports/bob.md",
    ] {
        assert_eq!(
            std::fs::read_to_string(whole.join(file)).unwrap(),
            std::fs::read_to_string(merged.join(file)).unwrap(),
            "{file}"
        );
    }

    // Missing, doubled and unsharded inputs are refused, saying which.
    let merge = |args: &[&Path]| {
        let mut command = grade();
        command
            .arg("merge")
            .args(args)
            .arg("--out")
            .arg(dir.join("refused"));
        command.assert().code(2)
    };
    merge(&[&outs[0], &outs[1]]).stderr(predicate::str::contains("missing shard 3 of 3"));
    merge(&[&outs[0], &outs[1], &outs[1]])
        .stderr(predicate::str::contains("shard 2 is given twice"));
    merge(&[&outs[0], whole]).stderr(predicate::str::contains("not a shard's results"));
    merge(&[&dir.join("nowhere")]).stderr(predicate::str::contains("results.json"));
}

#[test]
fn shard_values_are_checked_before_grading() {
    let dir = work("bad-shards");
    let subs = dir.join("subs");
    std::fs::create_dir_all(&subs).unwrap();
    std::fs::copy(reference(), subs.join("a.rs")).unwrap();
    for (spec, says) in [
        ("4/3", "from 1 to 3"),
        ("three", "K/N"),
        ("1/0", "number of shards"),
        ("env:/2", "variable"),
    ] {
        grade()
            .args(["batch"])
            .arg(exercise())
            .arg(&subs)
            .args(["--shard", spec])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("invalid value"))
            .stderr(predicate::str::contains(says));
    }
    grade()
        .args(["batch"])
        .arg(exercise())
        .arg(&subs)
        .args(["--shard", "k8s/2"])
        .env_remove("JOB_COMPLETION_INDEX")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("JOB_COMPLETION_INDEX is not set"));
    // A shard with nothing to grade (two shards, one submission) still writes its share, by
    // default in a folder of its own.
    let out = dir.join("grades/shard-2");
    grade()
        .args(["batch"])
        .arg(exercise())
        .arg(&subs)
        .args(["--shard", "2/2"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("graded 0 of 0 submissions"));
    assert_eq!(csv_rows(&out.join("grades.csv")).len(), 1);
    assert!(out.join("report.html").is_file());
}

#[test]
fn one_grade_writes_several_reports() {
    let dir = work("reports");
    let (xml, md, json) = (dir.join("r.xml"), dir.join("r.md"), dir.join("sub/r.json"));
    grade()
        .arg(exercise())
        .arg("--submission")
        .arg(reference())
        .arg("--report")
        .arg(format!("junit={}", xml.display()))
        .arg("--report")
        .arg(format!("markdown={}", md.display()))
        .arg("--report")
        .arg(format!("JSON={}", json.display()))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("100/100"));
    let xml = std::fs::read_to_string(xml).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        1 + 9
    );
    assert!(std::fs::read_to_string(md)
        .unwrap()
        .starts_with("### ✓ backprop: 100/100"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    assert_eq!(report["score"], 100);

    for (value, says) in [
        ("xml=r.xml", "`xml` is not a report format"),
        ("junit", "expected FORMAT=PATH"),
        ("junit=", "no file after"),
    ] {
        grade()
            .arg(exercise())
            .args(["--report", value])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says))
            .stderr(predicate::str::contains(
                "human, json, junit, gradescope, markdown",
            ));
    }
    let same = dir.join("same.xml");
    grade()
        .arg(exercise())
        .arg("--submission")
        .arg(reference())
        .arg("--output")
        .arg(&same)
        .arg("--report")
        .arg(format!("json={}", same.display()))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("given for two reports"));
}

/// A French batch writes its class page and summary in French, its numbers with a decimal point,
/// and its escaping as in English.
#[test]
fn a_french_batch_writes_a_french_class_report() {
    let dir = work("french");
    let subs = dir.join("submissions");
    std::fs::create_dir_all(&subs).unwrap();
    std::fs::copy(reference(), subs.join("ada.rs")).unwrap();
    std::fs::copy(
        root_path("solutions/backprop/mistakes/sign_flipped_update.rs"),
        subs.join("sign_flipped_update.rs"),
    )
    .unwrap();
    std::fs::copy(
        fixture("wrong/syntax_error.rs"),
        subs.join(format!("{HOSTILE}.rs")),
    )
    .unwrap();
    let out = dir.join("grades");
    grade()
        .arg("batch")
        .arg(exercise())
        .arg(&subs)
        .arg("--out")
        .arg(&out)
        .args(["--lang", "fr"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("3 soumissions sur 3 notées"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let doc = Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    assert_eq!(
        select(&doc, "html")[0].value().attr("lang"),
        Some("fr"),
        "{html}"
    );
    assert!(text(&select(&doc, "h1")[0]).starts_with("Rapport de classe"));
    let headings: Vec<String> = select(&doc, "h2").iter().map(text).collect();
    for french in [
        "Répartition des notes",
        "Vérifications",
        "Erreurs reconnues",
        "Soumissions qui ne compilent pas",
        "Toutes les soumissions",
    ] {
        assert!(
            headings.iter().any(|h| h == french),
            "{french}: {headings:?}"
        );
    }
    let terms: Vec<String> = select(&doc, "#counts dt").iter().map(text).collect();
    assert!(terms.contains(&"moyenne".to_string()), "{terms:?}");
    let counts: Vec<String> = select(&doc, "#counts dd").iter().map(text).collect();
    assert!(
        counts[2].contains('.') && !counts[2].contains(','),
        "the mean keeps its decimal point: {counts:?}"
    );
    let axes: Vec<String> = select(&doc, "#histogram svg text")
        .iter()
        .map(text)
        .collect();
    assert!(axes.contains(&"soumissions".to_string()), "{axes:?}");
    let rows: Vec<String> = select(&doc, "#submission-table td")
        .iter()
        .map(text)
        .collect();
    assert!(rows.contains(&"oui".to_string()) && rows.contains(&"non".to_string()));
    assert!(!html.contains("<script"), "escaped as in English");
    for english in [
        "Class report",
        "Recognised mistakes",
        "Every submission",
        ">yes<",
    ] {
        assert!(!html.contains(english), "{english} left in English");
    }
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(md.starts_with("## Rapport de classe"), "{md}");
    assert!(md.contains("### Toutes les soumissions"), "{md}");
    assert!(md.contains("| soumission | note | compile |"), "{md}");
}
