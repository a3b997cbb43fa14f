//! An exercise's own sentences in both languages: the exercise's and the checks' titles, the
//! rules' meanings, chart and variant titles in `exercise.toml`, the known mistakes' titles and
//! hints in `mistakes.toml`. This is the one place that reads them. An instructor writes either
//!
//! ```toml
//! title = { en = "the update moves uphill", fr = "la mise à jour monte la pente" }
//! # or, for long text, as two keys of the table being written:
//! hint.en = "Gradient descent subtracts…"
//! hint.fr = "La descente de gradient soustrait…"
//! ```
//!
//! or, as exercises written before French was added do, a plain string (English only). Each is
//! graded as it is, the missing language falling back to the other. An exercise promises its
//! languages in `[exercise] languages` (English alone when it does not say), and `grade validate`
//! names every sentence that lacks one of them ([`Untranslated`]): converting an English-only
//! exercise is `languages = ["en", "fr"]` and its `fr` text.

use crate::i18n::{self, Lang};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

/// One sentence of an exercise, in each language it was written in (at least one).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text {
    /// The English text.
    pub en: Option<String>,
    /// The French text.
    pub fr: Option<String>,
}

impl Text {
    /// A sentence written in English only.
    pub fn english(text: impl Into<String>) -> Text {
        Text {
            en: Some(text.into()),
            fr: None,
        }
    }

    /// The text in `lang`, or in the other language when it has none in `lang`.
    pub fn get_in(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::En => (&self.en, &self.fr),
            Lang::Fr => (&self.fr, &self.en),
        };
        first.as_deref().or(second.as_deref()).unwrap_or_default()
    }

    /// The text in the language in force.
    pub fn get(&self) -> &str {
        self.get_in(i18n::current())
    }

    /// The languages it has no text in.
    pub fn missing(&self) -> Vec<Lang> {
        Lang::ALL
            .into_iter()
            .filter(|l| match l {
                Lang::En => self.en.is_none(),
                Lang::Fr => self.fr.is_none(),
            })
            .collect()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

/// English alone is written as the plain string it is read from (an English-only exercise's
/// `expected.json` is as it was before French was added); otherwise `{"en": …, "fr": …}`.
impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if let (Some(en), None) = (&self.en, &self.fr) {
            return serializer.serialize_str(en);
        }
        let mut map = serializer.serialize_map(None)?;
        for (code, words) in [("en", &self.en), ("fr", &self.fr)] {
            if let Some(words) = words {
                map.serialize_entry(code, words)?;
            }
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, or a table of languages such as { en = \"…\", fr = \"…\" }")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Text, E> {
        Ok(Text::english(text))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let mut text = Text { en: None, fr: None };
        while let Some(code) = map.next_key::<String>()? {
            let slot = match Lang::from_code(&code) {
                Some(Lang::En) if code == "en" => &mut text.en,
                Some(Lang::Fr) if code == "fr" => &mut text.fr,
                _ => {
                    return Err(de::Error::custom(format!(
                        "unknown language `{code}`: the languages are `en` and `fr`"
                    )))
                }
            };
            if slot.is_some() {
                return Err(de::Error::custom(format!("`{code}` is given twice")));
            }
            *slot = map.next_value::<Option<String>>()?;
            if code == "fr" {
                text.fr = text.fr.as_deref().map(french_spacing);
            }
        }
        if text.en.is_none() && text.fr.is_none() {
            return Err(de::Error::custom(
                "no text: give `en = \"…\"` and `fr = \"…\"`",
            ));
        }
        Ok(text)
    }
}

/// French typography: a no-break space before `:`, `;`, `?` and `!`, so that a wrapped line
/// never starts with one; instructors type an ordinary space. Code in backticks is left alone.
fn french_spacing(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        let chars: Vec<char> = part.chars().collect();
        for (j, &c) in chars.iter().enumerate() {
            let before_mark = chars.get(j + 1).is_some_and(|n| ":;?!".contains(*n));
            let mark_ends = chars.get(j + 2).is_none_or(|n| n.is_whitespace());
            if c == ' ' && before_mark && mark_ends {
                out.push('\u{a0}');
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// A sentence of an exercise that lacks a language: what `grade validate` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untranslated {
    /// The file it is in.
    pub file: PathBuf,
    /// The line of the table that holds it (`[[check]]`, `[[mistake]]`…).
    pub line: usize,
    /// Where it is in that file, e.g. "mistake `sign_flipped_update`: hint".
    pub key: String,
    /// The language it lacks.
    pub lang: Lang,
}

/// Where the sentences of one file are: collects those that lack a language.
pub(crate) struct Survey<'a> {
    /// The file.
    pub file: &'a std::path::Path,
    /// Its text, to turn byte offsets into lines.
    pub text: &'a str,
    /// The languages the exercise promises every sentence in.
    pub languages: &'a [Lang],
    /// What was found so far.
    pub found: Vec<Untranslated>,
}

impl Survey<'_> {
    /// Notes each language `text`, found at byte `offset` under the name `key`, lacks.
    pub fn note(&mut self, offset: usize, key: impl Fn() -> String, text: &Text) {
        for lang in text.missing() {
            if !self.languages.contains(&lang) {
                continue;
            }
            self.found.push(Untranslated {
                file: self.file.to_path_buf(),
                line: crate::text::line_column(self.text, offset).0,
                key: key(),
                lang,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        title: Text,
    }

    fn read(toml_text: &str) -> Result<Text, String> {
        toml::from_str::<Doc>(toml_text)
            .map(|d| d.title)
            .map_err(|e| e.message().to_string())
    }

    #[test]
    fn plain_strings_are_english_and_tables_carry_both() {
        let plain = read("title = \"hello\"").unwrap();
        assert_eq!(plain.get_in(Lang::Fr), "hello", "falls back to English");
        assert_eq!(plain.missing(), vec![Lang::Fr]);
        let both = read("title = { en = \"hello\", fr = \"bonjour\" }").unwrap();
        assert_eq!(both.get_in(Lang::Fr), "bonjour");
        assert!(both.missing().is_empty());
        let spaced = read("title.fr = \"attention : `a :b` ici\"").unwrap();
        assert_eq!(spaced.get_in(Lang::Fr), "attention\u{a0}: `a :b` ici");
        let dotted = read("title.fr = \"bonjour\"").unwrap();
        assert_eq!(dotted.get_in(Lang::En), "bonjour");
        assert_eq!(dotted.missing(), vec![Lang::En]);
    }

    #[test]
    fn an_unknown_language_or_an_empty_table_is_an_error() {
        assert!(read("title = { de = \"hallo\" }")
            .unwrap_err()
            .contains("unknown language `de`"));
        assert!(read("title = {}").unwrap_err().contains("no text"));
        assert!(read("title = 3").is_err());
    }

    #[test]
    fn expected_json_round_trips() {
        let text = Text {
            en: Some("a".into()),
            fr: Some("b".into()),
        };
        let json = serde_json::to_string(&text).unwrap();
        assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), text);
        let only = Text::english("a");
        let json = serde_json::to_string(&only).unwrap();
        assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), only);
    }

    #[test]
    fn only_the_promised_languages_are_asked_for() {
        let path = std::path::Path::new("mistakes.toml");
        let english = Text::english("hello");
        let mut survey = Survey {
            file: path,
            text: "a\nb",
            languages: &[Lang::En],
            found: Vec::new(),
        };
        survey.note(2, || "hint".into(), &english);
        assert!(
            survey.found.is_empty(),
            "English alone is all an English exercise promises"
        );
        let both = [Lang::En, Lang::Fr];
        survey.languages = &both;
        survey.note(2, || "mistake `m`: hint".into(), &english);
        assert_eq!(
            survey.found,
            vec![Untranslated {
                file: path.to_path_buf(),
                line: 2,
                key: "mistake `m`: hint".into(),
                lang: Lang::Fr,
            }]
        );
    }

    #[test]
    fn english_alone_is_written_as_a_plain_string() {
        assert_eq!(serde_json::to_string(&Text::english("a")).unwrap(), "\"a\"");
        let french = Text {
            en: None,
            fr: Some("b".into()),
        };
        assert_eq!(serde_json::to_string(&french).unwrap(), r#"{"fr":"b"}"#);
    }
}
