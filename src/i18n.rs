//! The language grade speaks, and every sentence it prints for people. The language is chosen once
//! per process (`--lang`, else `GRADE_LANG`, else the locale: `LC_ALL`, `LC_MESSAGES`, `LANG`);
//! sentences are looked up by key in the Project Fluent catalogues `i18n/<lang>/grade.ftl`, which
//! are compiled into the binary so that an installed `grade` needs no file of the repository.
//! Numbers reach the catalogues already formatted: both languages keep a decimal point, so a
//! student can compare them with what their program printed.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

/// A language grade speaks.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Every language, English (the fallback) first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The code used in files and on the command line: `en`, `fr`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language a code names: `fr`, `FR`, `fr_FR.UTF-8` and `fr-CA` are French.
    pub fn from_code(code: &str) -> Option<Lang> {
        let lower = code.trim().to_ascii_lowercase();
        let base = lower.split(['_', '-', '.', '@']).next().unwrap_or("");
        Lang::ALL.into_iter().find(|l| l.code() == base)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The catalogues, English first, compiled in.
const CATALOGUES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../i18n/en/grade.ftl")),
    (Lang::Fr, include_str!("../i18n/fr/grade.ftl")),
];

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Makes `lang` the language of everything printed from now on.
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The language in force (English until [`set`] is called).
pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Fr,
        _ => Lang::En,
    }
}

/// `GRADE_LANG` was set to a language grade does not speak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLang(pub String);

/// The language the environment asks for, read through `var`: `GRADE_LANG` when set (it must
/// name `en` or `fr`), else the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set and not
/// empty, as POSIX orders them (`fr_*` is French, anything else English), else English.
pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Lang, UnknownLang> {
    let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
    if let Some(asked) = set("GRADE_LANG") {
        return Lang::from_code(&asked).ok_or(UnknownLang(asked));
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].into_iter().find_map(set);
    Ok(locale
        .and_then(|l| Lang::from_code(&l))
        .filter(|l| *l == Lang::Fr)
        .unwrap_or(Lang::En))
}

/// An argument of a message: text as it is shown, or a count that chooses a plural form.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Count(u64),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Text(v.to_string())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Arg {
        Arg::Text(v)
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Arg {
        Arg::Text(v.clone())
    }
}
impl From<usize> for Arg {
    fn from(v: usize) -> Arg {
        Arg::Count(v as u64)
    }
}
impl From<u32> for Arg {
    fn from(v: u32) -> Arg {
        Arg::Count(u64::from(v))
    }
}
impl From<u64> for Arg {
    fn from(v: u64) -> Arg {
        Arg::Count(v)
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static [Bundle; 2] {
    static BUNDLES: OnceLock<[Bundle; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| CATALOGUES.map(|(lang, text)| bundle(lang, text)))
}

/// A catalogue as a bundle. The catalogues are part of the binary and a unit test parses both,
/// so a broken one is a bug in grade, found before release.
fn bundle(lang: Lang, text: &str) -> Bundle {
    let resource = FluentResource::try_new(text.to_string())
        .unwrap_or_else(|(_, errors)| panic!("i18n/{}/grade.ftl: {errors:?}", lang.code()));
    let id: unic_langid::LanguageIdentifier = lang.code().parse().expect("a valid language id");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Fluent wraps arguments in Unicode isolation marks by default: terminals print them as
    // stray characters and they break a comparison with what the student's program printed.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("i18n/{}/grade.ftl: {errors:?}", lang.code()));
    bundle
}

/// The message `key` in the current language, with `args` in place (see [`tr!`](crate::tr)).
pub fn tr(key: &str, args: &[(&str, Arg)]) -> String {
    tr_in(current(), key, args)
}

/// The message `key` in `lang`; English when `lang`'s catalogue lacks it, the key itself when
/// both do (a unit test proves that every key the code uses is in both catalogues).
pub fn tr_in(lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
    let all = bundles();
    let found = [lang, Lang::En].into_iter().find_map(|l| {
        let bundle = &all[l.index()];
        let pattern = bundle.get_message(key)?.value()?;
        Some((bundle, pattern))
    });
    let Some((bundle, pattern)) = found else {
        return key.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        let value = match value {
            Arg::Text(text) => FluentValue::from(text.as_str()),
            Arg::Count(n) => FluentValue::from(*n),
        };
        fluent_args.set(*name, value);
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
}

/// `tr!("key")` or `tr!("key", name = value, ...)`: the message `key` of the catalogues in the
/// current language, each `$name` replaced by its value (text, or a count that picks a plural).
#[macro_export]
macro_rules! tr {
    ($key:literal) => {
        $crate::i18n::tr($key, &[])
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::tr(
            $key,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),+],
        )
    };
}

/// `command` (clap's, as derived) with every about and argument help taken from the catalogue
/// of the language in force: `help-<command>-about`, `help-<command>-long-about`,
/// `help-<command>-<argument>`, else `help-common-<argument>` (`<command>` is `grade` for the top
/// level, else the subcommand's path joined by `-`). A `\n` in a catalogue starts a paragraph.
pub fn localize_help(command: clap::Command) -> clap::Command {
    localize_command(command, "grade")
}

/// clap's own words in the help: the headings, and the `--help` and `--version` flags (made
/// here, in place of clap's, to carry a help of ours).
fn clap_words(mut command: clap::Command, top: bool) -> clap::Command {
    use clap::{Arg, ArgAction};
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        tr("help-usage-heading", &[])
    );
    command = command
        .help_template(template)
        .subcommand_help_heading(tr("help-commands-heading", &[]))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(tr("help-flag", &[])),
        );
    if top {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(tr("help-version-flag", &[])),
        );
    }
    command
}

fn localize_command(mut command: clap::Command, path: &str) -> clap::Command {
    command = clap_words(command, path == "grade");
    let lookup = |key: String| {
        let text = tr(&key, &[]);
        (text != key).then(|| text.replace("\\n", "\n"))
    };
    if let Some(about) = lookup(format!("help-{path}-about")) {
        command = command.about(about);
    }
    if let Some(long) = lookup(format!("help-{path}-long-about")) {
        command = command.long_about(long);
    }
    let ids: Vec<String> = command
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let name = id.replace('_', "-");
        let text =
            lookup(format!("help-{path}-{name}")).or_else(|| lookup(format!("help-common-{name}")));
        if let Some(text) = text {
            command = command.mut_arg(id, |arg| arg.help(text.clone()).long_help(text));
        }
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        let sub_path = match path {
            "grade" => name.clone(),
            _ => format!("{path}-{name}"),
        };
        command = command.mut_subcommand(name, |sub| localize_command(sub, &sub_path));
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(text: &str) -> BTreeSet<String> {
        let resource = FluentResource::try_new(text.to_string()).expect("the catalogue parses");
        resource
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let en = keys(CATALOGUES[0].1);
        let fr = keys(CATALOGUES[1].1);
        let only_en: Vec<_> = en.difference(&fr).collect();
        let only_fr: Vec<_> = fr.difference(&en).collect();
        assert!(
            only_en.is_empty(),
            "missing in i18n/fr/grade.ftl: {only_en:?}"
        );
        assert!(
            only_fr.is_empty(),
            "missing in i18n/en/grade.ftl: {only_fr:?}"
        );
        assert!(en.len() > 50, "only {} keys", en.len());
    }

    /// Every `tr!("key"` and `tr_in(…, "key"` in `src/` names a key of the catalogues: a typo
    /// would print the fallback sentence instead of the message.
    #[test]
    fn every_key_the_code_uses_exists() {
        let en = keys(CATALOGUES[0].1);
        let mut used = BTreeSet::new();
        let mut files = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for marker in ["tr!(\"", "tr!(\n"] {
                for (at, _) in text.match_indices(marker) {
                    let rest = text[at + marker.len()..]
                        .trim_start()
                        .trim_start_matches('"');
                    let key: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    if key != "key" && !key.is_empty() {
                        used.insert((key, path.display().to_string()));
                    }
                }
            }
        }
        assert!(used.len() > 50, "found only {} uses", used.len());
        let unknown: Vec<_> = used.iter().filter(|(k, _)| !en.contains(k)).collect();
        assert!(
            unknown.is_empty(),
            "keys not in the catalogues: {unknown:?}"
        );
    }

    #[test]
    fn the_locale_decides_unless_grade_lang_does() {
        let env = |pairs: &'static [(&str, &str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(from_env(env(&[])), Ok(Lang::En));
        assert_eq!(from_env(env(&[("LANG", "fr_FR.UTF-8")])), Ok(Lang::Fr));
        assert_eq!(
            from_env(env(&[("LC_ALL", "C"), ("LANG", "fr_FR.UTF-8")])),
            Ok(Lang::En)
        );
        assert_eq!(
            from_env(env(&[("LC_ALL", ""), ("LC_MESSAGES", "fr_CA")])),
            Ok(Lang::Fr)
        );
        assert_eq!(
            from_env(env(&[("GRADE_LANG", "en"), ("LANG", "fr_FR")])),
            Ok(Lang::En)
        );
        assert_eq!(from_env(env(&[("GRADE_LANG", "FR")])), Ok(Lang::Fr));
        assert_eq!(
            from_env(env(&[("GRADE_LANG", "de")])),
            Err(UnknownLang("de".into()))
        );
    }

    #[test]
    fn numbers_keep_their_point_and_plurals_follow_the_language() {
        let args = |n: u64| [("count", Arg::Count(n)), ("total", Arg::Count(3))];
        let with = |n| [args(n).to_vec(), vec![("worst", Arg::from("w"))]].concat();
        let fr = tr_in(Lang::Fr, "judge-elements-differ", &with(1));
        let en = tr_in(Lang::En, "judge-elements-differ", &with(2));
        assert!(fr.contains("1 élément sur 3 diffère"), "{fr}");
        assert!(en.contains("2 of 3 elements differ"), "{en}");
        let point = tr_in(
            Lang::Fr,
            "judge-worst",
            &[
                ("element", "w[0]".into()),
                ("expected", "0.25".into()),
                ("got", "-1.5".into()),
                ("tolerance", "t".into()),
                ("scenario", "s".into()),
            ],
        );
        assert!(point.contains("0.25") && point.contains("-1.5"), "{point}");
        assert!(!point.contains('\u{2068}'), "no isolation marks: {point:?}");
    }
}
