//! Reports in French and English: snapshots of the human report (the stub, the reference and three
//! known mistakes, really compiled and graded) in both languages, a French JSON report with the
//! same ids and numbers as the English one, `grade validate` naming a missing French hint, the
//! language chosen from the locale, and no line past 80 columns on an 80-column terminal.
#![cfg(unix)]

mod common;

use common::*;

/// The human report of `submission` (relative to the repository, so the report names it the
/// same on every machine) in `lang`, and the exit code.
fn human(submission: &str, lang: &str) -> (i32, String) {
    let output = grade()
        .current_dir(root())
        .args([
            "exercises/backprop",
            "--submission",
            submission,
            "--lang",
            lang,
        ])
        .output()
        .expect("grade runs");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    (output.status.code().expect("exits by itself"), text)
}

const SUBMISSIONS: [(&str, &str); 5] = [
    ("stub", "exercises/backprop"),
    ("reference", "solutions/backprop/backprop.rs"),
    (
        "derivative_of_activated_output",
        "solutions/backprop/mistakes/derivative_of_activated_output.rs",
    ),
    (
        "sign_flipped_update",
        "solutions/backprop/mistakes/sign_flipped_update.rs",
    ),
    (
        "loss_not_averaged",
        "solutions/backprop/mistakes/loss_not_averaged.rs",
    ),
];

#[test]
fn human_reports_in_both_languages_match_their_snapshots() {
    for (name, submission) in SUBMISSIONS {
        for lang in ["en", "fr"] {
            let (code, text) = human(submission, lang);
            let expected_code = if name == "reference" { 0 } else { 1 };
            assert_eq!(code, expected_code, "{name} {lang}:\n{text}");
            for line in text.lines() {
                assert!(line.chars().count() <= 80, "{name} {lang}: {line:?}");
            }
            insta::assert_snapshot!(format!("human_{name}_{lang}"), text);
        }
    }
}

#[test]
fn the_hint_of_a_mistake_is_said_once_with_the_checks_it_explains() {
    let (_, text) = human(SUBMISSIONS[2].1, "en");
    assert_eq!(
        text.matches("Activation::derivative already").count(),
        1,
        "{text}"
    );
    assert!(
        text.contains("Known mistake 1 (derivative_of_activated_output)"),
        "{text}"
    );
    let start = text
        .find("Start here: backward.d_biases")
        .expect("a start line");
    let last_check = text.find("✗ train.loss_decreases").expect("the last check");
    assert!(start > last_check, "after the check lines:\n{text}");
    let (_, french) = human(SUBMISSIONS[2].1, "fr");
    assert_eq!(
        french.matches("Activation::derivative prend déjà").count(),
        1
    );
    assert!(french.contains("Commencez ici"), "{french}");
}

/// Every number and id, by JSON path, with the text of messages, titles and hints left out.
fn skeleton(value: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    const WORDS: [&str; 4] = ["message", "title", "hint", "submission"];
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                if !WORDS.contains(&key.as_str()) {
                    skeleton(v, &format!("{path}.{key}"), out);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                skeleton(v, &format!("{path}[{i}]"), out);
            }
        }
        other => out.push(format!("{path} = {other}")),
    }
}

#[test]
fn a_french_json_report_has_the_english_ids_and_numbers() {
    let file = root().join(SUBMISSIONS[2].1);
    let json = |lang: &str| {
        let output = grade()
            .arg(exercise())
            .arg("--submission")
            .arg(&file)
            .args(["--format", "json", "--lang", lang])
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&output.stdout).expect("JSON")
    };
    let (en, fr) = (json("en"), json("fr"));
    let (mut a, mut b) = (Vec::new(), Vec::new());
    skeleton(&en, "", &mut a);
    skeleton(&fr, "", &mut b);
    assert!(a.len() > 40, "{a:?}");
    assert_eq!(a, b);
    let message = |r: &serde_json::Value| check(r, "backward.d_biases")["message"].to_string();
    assert!(
        message(&en).contains("expected 0.243743"),
        "{}",
        message(&en)
    );
    assert!(
        message(&fr).contains("attendu 0.243743"),
        "{}",
        message(&fr)
    );
    assert!(fr["mistakes"][0]["hint"]
        .as_str()
        .unwrap()
        .contains("prend déjà"));
}

#[test]
fn the_locale_chooses_french_unless_grade_lang_or_lang_says_otherwise() {
    let run = |envs: &[(&str, &str)], args: &[&str]| {
        let mut command = grade();
        command.env_remove("GRADE_LANG").env_remove("LC_ALL");
        command.env_remove("LC_MESSAGES");
        for (k, v) in envs {
            command.env(k, v);
        }
        let output = command
            .current_dir(root())
            .args(args)
            .args(["exercises/backprop", "--submission", SUBMISSIONS[1].1])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(run(&[("LANG", "fr_FR.UTF-8")], &[]).contains("noté"));
    assert!(run(&[("LANG", "en_US.UTF-8")], &[]).contains("graded:"));
    assert!(run(&[("LANG", "fr_FR.UTF-8"), ("GRADE_LANG", "en")], &[]).contains("graded:"));
    assert!(run(&[("LANG", "fr_FR.UTF-8")], &["--lang", "en"]).contains("graded:"));
    assert!(run(&[("LC_ALL", "fr_CA.UTF-8"), ("LANG", "C")], &[]).contains("noté"));
}

#[test]
fn an_unknown_grade_lang_is_a_usage_error() {
    let output = grade()
        .env("GRADE_LANG", "de")
        .arg(exercise())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("GRADE_LANG is `de`"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let output = grade()
        .args(["--lang", "de"])
        .arg(exercise())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn validate_names_a_mistake_hint_without_french() {
    let solutions = tempfile::tempdir().unwrap();
    copy_dir(&root().join("solutions"), solutions.path());
    let catalog = solutions.path().join("backprop/mistakes/mistakes.toml");
    let text = std::fs::read_to_string(&catalog).unwrap();
    let removed: String = text
        .lines()
        .filter(|l| {
            !l.starts_with("hint.fr = \"Gradient descent")
                && !l.starts_with("hint.fr = \"La descente")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        removed.lines().count() + 1,
        text.lines().count(),
        "one line removed"
    );
    std::fs::write(&catalog, removed).unwrap();
    let dir = copy_exercise();
    let spec = dir.path().join("backprop/exercise.toml");
    let spec_text = std::fs::read_to_string(&spec).unwrap().replace(
        "\"../../solutions",
        &format!("\"{}", solutions.path().display()),
    );
    std::fs::write(&spec, spec_text).unwrap();
    let output = grade()
        .arg("validate")
        .arg(dir.path().join("backprop"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("mistake `sign_flipped_update`: hint has no French text: add `fr = \"…\"`"),
        "{stdout}"
    );
    assert!(stdout.contains("mistakes.toml:"), "{stdout}");
}

/// Reads everything the child writes to the terminal until it closes (EIO on Linux).
fn read_all(mut reader: Box<dyn std::io::Read + Send>) -> String {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 4096];
    while let Ok(n) = reader.read(&mut buffer) {
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buffer[..n]);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// What a terminal shows of `text`: escape sequences removed, lines split at `\n` and `\r`.
fn visible_lines(text: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        plain.push(c);
    }
    plain.split(['\n', '\r']).map(str::to_string).collect()
}

#[test]
fn on_an_80_column_terminal_no_line_is_longer_than_80() {
    use portable_pty::{CommandBuilder, NativePtySystem, PtySize, PtySystem};
    let pty = match NativePtySystem::default().openpty(PtySize {
        rows: 50,
        cols: 80,
        pixel_width: 0,
        pixel_height: 0,
    }) {
        Ok(pty) => pty,
        Err(e) => {
            eprintln!("NOT CHECKED: no pseudo-terminal on this machine ({e})");
            return;
        }
    };
    for lang in ["en", "fr"] {
        let mut command = CommandBuilder::new(assert_cmd::cargo::cargo_bin("grade"));
        command.cwd(root());
        command.env("GRADE_CACHE_DIR", cache());
        command.env("GRADE_LANG", lang);
        command.env_remove("NO_COLOR");
        command.args([
            "exercises/backprop",
            "--submission",
            "solutions/backprop/mistakes/derivative_of_activated_output.rs",
        ]);
        let pair = NativePtySystem::default()
            .openpty(PtySize {
                rows: 50,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut child = pair.slave.spawn_command(command).unwrap();
        drop(pair.slave);
        let reader = pair.master.try_clone_reader().unwrap();
        let reading = std::thread::spawn(move || read_all(reader));
        let status = child.wait().unwrap();
        drop(pair.master);
        let output = reading.join().unwrap();
        assert_eq!(status.exit_code(), 1, "{output}");
        assert!(output.contains('\u{1b}'), "colored on a terminal");
        let lines = visible_lines(&output);
        assert!(lines
            .iter()
            .any(|l| l.contains("derivative_of_activated_output")));
        let long: Vec<_> = lines.iter().filter(|l| l.chars().count() > 80).collect();
        assert!(long.is_empty(), "{lang}: lines over 80 columns: {long:#?}");
        // Wrapped, not cut off: a line that was longer than 80 continues on the next one.
        assert!(lines.iter().any(|l| l.chars().count() > 70), "{lines:#?}");
    }
    drop(pty);
}

#[test]
fn the_chart_fits_in_60_columns() {
    for lang in ["en", "fr"] {
        let (_, text) = human(SUBMISSIONS[2].1, lang);
        let lines: Vec<&str> = text.lines().collect();
        let first = lines
            .iter()
            .position(|l| l.contains("perte du modèle") || l.contains("loss of the model"))
            .expect("a chart");
        assert!(lines[first..].len() >= 10, "{text}");
        for line in &lines[first..] {
            assert!(line.chars().count() <= 60, "{lang}: {line:?}");
        }
    }
}

#[test]
fn help_is_in_the_language_asked_for() {
    let help = |envs: &[(&str, &str)], args: &[&str]| {
        let mut command = grade();
        for (k, v) in envs {
            command.env(k, v);
        }
        let output = command.args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let french = help(&[], &["--lang", "fr", "--help"]);
    assert!(
        french.contains("Note l'exercice de rétropropagation"),
        "{french}"
    );
    assert!(french.contains("Utilisation\u{a0}: grade"), "{french}");
    assert!(french.contains("Commandes:"), "{french}");
    assert!(french.contains("La langue des rapports"), "{french}");
    assert!(!french.contains("Print help"), "{french}");
    let validate = help(&[("GRADE_LANG", "fr")], &["validate", "--help"]);
    assert!(validate.contains("Pour les enseignants"), "{validate}");
    assert!(validate.contains("Le dossier de l'exercice"), "{validate}");
    let english = help(&[], &["--help"]);
    assert!(
        english.contains("Grades a student's backpropagation exercise"),
        "{english}"
    );
    assert!(english.contains("Usage: grade"), "{english}");
    let short = help(&[("LANG", "fr_FR.UTF-8"), ("GRADE_LANG", "")], &["-h"]);
    assert!(short.contains("Utilisation"), "{short}");
}

#[test]
fn an_instructor_error_is_in_french_with_its_place() {
    let copy = copy_exercise();
    let spec = copy.path().join("backprop/exercise.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let broken = text.replacen(r#"id = "fit.weights""#, r#"id = "fit.loss_values""#, 1);
    assert_ne!(text, broken);
    std::fs::write(&spec, broken).unwrap();
    let output = grade()
        .args(["--lang", "fr"])
        .arg(copy.path().join("backprop"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("erreur\u{a0}: "), "{stderr}");
    assert!(stderr.contains("exercise.toml:"), "{stderr}");
    assert!(
        stderr.contains("identifiant de vérification `fit.loss_values` en double"),
        "{stderr}"
    );
}

/// `grade doctor --lang fr` says what this machine allows in French: its labels, every guarantee
/// and its verdict, the same whatever the platform's isolation.
#[test]
fn grade_doctor_speaks_french() {
    let output = grade()
        .args(["doctor", "--lang", "fr"])
        .output()
        .expect("grade runs");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(
        text.starts_with("grade ") && text.contains(" sur "),
        "{text}"
    );
    for french in [
        "réseau coupé",
        "écritures confinées à son dossier de travail",
        "aucun processus qu'il lance ne lui survit",
        "chaque processus enfant : limité en durée",
    ] {
        assert!(text.contains(french), "{french}: {text}");
    }
    let verdict = text.lines().last().unwrap_or("");
    assert!(
        verdict.starts_with("prêt : ") || verdict.starts_with("pas prêt : "),
        "{text}"
    );
    for english in ["network cut off", "\ntoolchain ", "ready:", " yes ", " no "] {
        assert!(!text.contains(english), "{english} left in English: {text}");
    }
    let english = grade().arg("doctor").output().expect("grade runs");
    let english = String::from_utf8(english.stdout).expect("UTF-8");
    assert!(english.contains("network cut off"), "{english}");
}

/// `grade merge`, `--shard` and `grade new` refuse bad input in French, before grading anything.
#[test]
fn shards_merge_and_new_refuse_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let shard = dir.path().join("shard-1");
    std::fs::create_dir_all(&shard).unwrap();
    let stderr = |args: &[&std::ffi::OsStr]| {
        let output = grade().args(args).output().expect("grade runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        String::from_utf8(output.stderr).expect("UTF-8")
    };
    let out = dir.path().join("merged");
    let merge = stderr(&[
        "merge".as_ref(),
        shard.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--lang".as_ref(),
        "fr".as_ref(),
    ]);
    assert!(merge.contains("donnez les dossiers de sortie"), "{merge}");
    let spec = stderr(&[
        "batch".as_ref(),
        root().join("exercises/backprop").as_os_str(),
        dir.path().as_os_str(),
        "--shard".as_ref(),
        "4/3".as_ref(),
        "--lang".as_ref(),
        "fr".as_ref(),
    ]);
    assert!(
        spec.contains("les parts sont numérotées de 1 à 3"),
        "{spec}"
    );
    let new = stderr(&[
        "new".as_ref(),
        dir.path().join("x").as_os_str(),
        "--name".as_ref(),
        "1x".as_ref(),
        "--lang".as_ref(),
        "fr".as_ref(),
    ]);
    assert!(new.contains("ne peut pas nommer un exercice"), "{new}");
    assert!(!dir.path().join("x").exists(), "nothing written");
}
