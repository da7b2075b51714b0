//! End-to-end tests of lupe's German analysis: inflection, spelling
//! variants, hyphen compounds, gender forms, Unicode normalisation, stop
//! words, and the protected `-heit`/`-keit` nouns. Each test indexes the
//! form under test next to distractors and queries another form.

mod util;

use serde_json::Value;
use util::{TestEnv, article, sorted_ids};

/// Articles that must never match the queries below.
fn distractors() -> Vec<Value> {
    vec![
        article(
            "wetter",
            "Das Wetter am Wochenende",
            "Am Samstag bleibt es trocken, am Sonntag ziehen von Westen Regenschauer auf. Die \
             Temperaturen steigen auf bis zu zwanzig Grad.",
        ),
        article(
            "fussball",
            "Pokalspiel vertagt",
            "Das Pokalspiel zwischen den beiden Nachbarvereinen wird wegen eines vereisten \
             Platzes verschoben. Ein neuer Termin steht noch nicht fest.",
        ),
    ]
}

/// Indexes `records` plus the distractors.
fn corpus(records: Vec<Value>) -> TestEnv {
    let env = TestEnv::new();
    let mut all = records;
    all.extend(distractors());
    env.ingest_records("artikel.jsonl", &all);
    env
}

/// The query finds exactly `want` (as a set of article ids).
#[track_caller]
fn assert_finds(env: &TestEnv, query: &str, want: &[&str]) {
    let hits = env.hits(&[query]);
    let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(sorted_ids(&hits), want, "query {query:?}: {hits:#?}");
}

/// The query finds at least `want` (other articles may match too).
#[track_caller]
fn assert_finds_all(env: &TestEnv, query: &str, want: &[&str]) {
    let hits = env.hits(&[query]);
    let found = sorted_ids(&hits);
    for w in want {
        assert!(
            found.iter().any(|f| f == w),
            "query {query:?} should find {w:?}: {hits:#?}"
        );
    }
    for d in distractors() {
        let id = d["id"].as_str().unwrap();
        assert!(
            !found.iter().any(|f| f == id),
            "query {query:?} found {id:?}"
        );
    }
}

/// Every highlight of every hit of `query` is one of `allowed`.
#[track_caller]
fn assert_highlights(env: &TestEnv, query: &str, allowed: &[&str]) {
    for hit in env.hits(&[query]) {
        let words = hit.highlighted();
        assert!(
            !words.is_empty(),
            "query {query:?}: no highlight in {hit:#?}"
        );
        for w in &words {
            assert!(
                allowed.contains(&w.as_str()),
                "query {query:?}: highlighted {w:?}, expected one of {allowed:?} in {:?}",
                hit.text
            );
        }
    }
}

#[test]
fn inflected_forms_match() {
    let env = corpus(vec![article(
        "luecken",
        "Neue Schwachstellen",
        "Forscher haben mehrere Sicherheitslücken in einem Inferenzserver entdeckt.",
    )]);
    assert_finds(&env, "Sicherheitslücke", &["luecken"]);
    assert_finds(&env, "Sicherheitslücken", &["luecken"]);
    assert_highlights(&env, "Sicherheitslücke", &["Sicherheitslücken"]);
}

#[test]
fn open_source_spellings_match() {
    let env = corpus(vec![
        article(
            "getrennt",
            "Offene Modelle",
            "Immer mehr Mittelständler setzen auf Open Source, um Sprachmodelle selbst zu \
             betreiben.",
        ),
        article(
            "software",
            "Inferenzserver",
            "Der Inferenzserver ist Open-Source-Software und wird von vielen Start-ups genutzt.",
        ),
        article(
            "bindestrich",
            "Lizenzen",
            "Die Open-Source-Lizenz erlaubt auch die kommerzielle Nutzung der Gewichte.",
        ),
    ]);
    assert_finds(
        &env,
        "Open-Source",
        &["bindestrich", "getrennt", "software"],
    );
    // The joined spelling finds the hyphenated ones (and may find more).
    assert_finds_all(&env, "Opensource", &["bindestrich", "software"]);
    assert_highlights(
        &env,
        "Open-Source",
        &["Open", "Source", "Open Source", "Open-Source"],
    );
}

#[test]
fn joined_spelling_finds_the_hyphenated_one() {
    let env = corpus(vec![article(
        "bindestrich",
        "Lizenzen",
        "Die Open-Source-Lizenz erlaubt auch die kommerzielle Nutzung der Gewichte.",
    )]);
    assert_finds_all(&env, "Opensource", &["bindestrich"]);
    assert_finds_all(&env, "opensource", &["bindestrich"]);
}

#[test]
fn umlaut_digraphs_match_umlauts() {
    let env = corpus(vec![
        article(
            "mueller",
            "Personalie",
            "Die Forschungsabteilung leitet künftig Anna Mueller, die zuvor bei einem \
             Chiphersteller gearbeitet hat.",
        ),
        article(
            "groesser",
            "Modelle",
            "Das neue Modell ist deutlich größer als sein Vorgänger und braucht mehr Speicher.",
        ),
    ]);
    assert_finds(&env, "Müller", &["mueller"]);
    assert_finds(&env, "Mueller", &["mueller"]);
    assert_finds(&env, "groesser", &["groesser"]);
    assert_finds(&env, "größer", &["groesser"]);
    assert_highlights(&env, "groesser", &["größer"]);
}

#[test]
fn sharp_s_matches_ss() {
    let env = corpus(vec![article(
        "strasse",
        "Autonomes Fahren",
        "Auf der Straße zwischen Hamburg und Kiel testet ein Start-up selbstfahrende Busse.",
    )]);
    assert_finds(&env, "Strasse", &["strasse"]);
    assert_finds(&env, "Straße", &["strasse"]);
    assert_highlights(&env, "Strasse", &["Straße"]);
}

#[test]
fn gender_forms_match_the_base_noun() {
    let env = corpus(vec![
        article(
            "innen",
            "Fachkräfte",
            "Viele Entwicklerinnen wechseln zu Start-ups, die Sprachmodelle trainieren.",
        ),
        article(
            "doppelpunkt",
            "Umfrage",
            "Eine Umfrage unter Entwickler:innen zeigt, dass Codeassistenten verbreitet sind.",
        ),
        article(
            "binnen-i",
            "Konferenz",
            "Auf der Konferenz trafen sich EntwicklerInnen aus ganz Europa.",
        ),
        article(
            "basis",
            "Werkzeuge",
            "Jeder Entwickler kann das Werkzeug kostenlos ausprobieren.",
        ),
    ]);
    assert_finds(
        &env,
        "Entwickler",
        &["basis", "binnen-i", "doppelpunkt", "innen"],
    );
    assert_highlights(
        &env,
        "Entwickler",
        &[
            "Entwickler",
            "Entwicklerinnen",
            "Entwickler:innen",
            "EntwicklerInnen",
        ],
    );
}

#[test]
fn gender_colon_form_in_the_query() {
    let env = corpus(vec![article(
        "innen",
        "Fachkräfte",
        "Viele Entwicklerinnen wechseln zu Start-ups, die Sprachmodelle trainieren.",
    )]);
    assert_finds(&env, "Entwickler:innen", &["innen"]);
}

#[test]
fn acronym_plural_matches_the_acronym() {
    let env = corpus(vec![article(
        "kis",
        "Wettbewerb",
        "Die großen KIs der Tech-Konzerne konkurrieren um dieselben Kunden.",
    )]);
    assert_finds(&env, "KI", &["kis"]);
    assert_highlights(&env, "KI", &["KIs"]);
}

#[test]
fn decomposed_umlaut_in_an_article_is_found_by_the_composed_query() {
    let env = corpus(vec![article(
        "nfd",
        "Zerlegte Umlaute",
        "Die Lu\u{0308}cke im Zaun wurde erst nach Wochen entdeckt.",
    )]);
    assert_finds(&env, "Lücke", &["nfd"]);
    let hits = env.hits(&["Lücke"]);
    let words = hits[0].highlighted();
    assert_eq!(words.len(), 1, "{hits:#?}");
    assert!(
        words[0] == "Lücke" || words[0] == "Lu\u{0308}cke",
        "highlight {:?} in {:?}",
        words[0],
        hits[0].text
    );
}

#[test]
fn decomposed_umlaut_in_the_query_finds_the_composed_article() {
    let env = corpus(vec![article(
        "nfc",
        "Umlaute",
        "Die Lücke im Zaun wurde erst nach Wochen entdeckt.",
    )]);
    assert_finds(&env, "Lu\u{0308}cke", &["nfc"]);
    assert_highlights(&env, "Lu\u{0308}cke", &["Lücke"]);
}

#[test]
fn stop_words_alone_find_nothing() {
    let env = corpus(vec![article(
        "dass",
        "Aussage",
        "Der Sprecher sagte, dass die Tests erfolgreich waren und dass es weitergeht.",
    )]);
    for q in ["dass", "Dass", "daß", "dass und der"] {
        let run = env.query(&[q]).code(1).stdout_empty();
        assert!(!run.stderr().trim().is_empty(), "a note is expected\n{run}");
    }
    // Stop words do not stop content words from matching.
    assert_finds(&env, "dass Sprecher", &["dass"]);
}

#[test]
fn sicherheit_ranks_above_the_adverb_sicher() {
    let env = corpus(vec![
        article(
            "adverb",
            "Wetterdienst",
            "Morgen wird es sicher regnen, sagt der Wetterdienst, ganz sicher. Wer sicher gehen \
             will, nimmt einen Schirm mit; sicher ist sicher.",
        ),
        article(
            "sicherheit",
            "IT-Lage",
            "Das Bundesamt warnt in seinem Lagebericht vor Angriffen auf Sprachmodelle und \
             fordert mehr Sicherheit bei der Entwicklung von Anwendungen.",
        ),
    ]);
    let hits = env.hits(&["Sicherheit"]);
    assert_eq!(hits[0].article_id, "sicherheit", "{hits:#?}");
    if let Some(pos) = hits.iter().position(|h| h.article_id == "adverb") {
        assert!(pos > 0);
    }
}

#[test]
fn sicherheit_plural_and_genitive_match() {
    let env = corpus(vec![article(
        "sicherheiten",
        "Kredite",
        "Die Bank verlangt zusätzliche Sicherheiten, bevor sie den Kredit auszahlt.",
    )]);
    assert_finds(&env, "Sicherheit", &["sicherheiten"]);
}

#[test]
fn case_does_not_matter() {
    let env = corpus(vec![article(
        "gross",
        "Rechenzentren",
        "Das Rechenzentrum in Frankfurt wird erweitert.",
    )]);
    for q in ["rechenzentrum", "RECHENZENTRUM", "ReChEnZeNtRuM"] {
        assert_finds(&env, q, &["gross"]);
    }
}

#[test]
fn accents_fold() {
    let env = corpus(vec![article(
        "cafe",
        "Treffpunkt",
        "Das Team trifft sich jeden Freitag im Café neben dem Labor.",
    )]);
    assert_finds(&env, "Cafe", &["cafe"]);
    assert_finds(&env, "Café", &["cafe"]);
}

#[test]
fn a_word_in_capitals_matches_the_acronym_only() {
    let env = corpus(vec![
        article(
            "moon",
            "Besuch in New York",
            "Der frühere Generalsekretär Ban Ki-moon sprach vor den Vereinten Nationen.",
        ),
        article(
            "ki",
            "Neue Modelle",
            "Die KI des Start-ups schreibt Berichte, und KIs anderer Firmen lernen mit.",
        ),
        article(
            "eu",
            "Regeln",
            "Die EU verschärft die Regeln, sagte ein Sprecher in Brüssel.",
        ),
        article(
            "eule",
            "Tiere",
            "Im Wald lebt eine Eule, die Eu-Rufe ausstößt.",
        ),
        article(
            "it",
            "Umbau",
            "Die IT des Konzerns wird umgebaut; die Abteilung wächst.",
        ),
    ]);
    assert_finds(&env, "KI", &["ki"]);
    assert_finds(&env, "KIs", &["ki"]);
    assert_highlights(&env, "KI", &["KI", "KIs"]);
    // Lowercase may still mean both.
    assert_finds(&env, "ki", &["ki", "moon"]);
    assert_finds(&env, "EU", &["eu"]);
    assert_finds(&env, "IT", &["it"]);
}

#[test]
fn english_words_in_german_text() {
    let env = corpus(vec![
        article(
            "startups",
            "Gründer",
            "Viele Startups aus Berlin sammeln Geld für ihre Apps.",
        ),
        article(
            "start-up",
            "Gründerin",
            "Ein Start-up aus München baut Chatbots für Laptops.",
        ),
        article(
            "startup",
            "Gründung",
            "Das Startup entwickelt eine App und ein Tool.",
        ),
        article("mail", "Post", "Er schrieb eine E-Mail an die Behörde."),
    ]);
    for q in ["Startup", "Startups", "Start-up", "Start-ups"] {
        assert_finds(&env, q, &["start-up", "startup", "startups"]);
    }
    assert_finds(&env, "Apps", &["startup", "startups"]);
    assert_finds(&env, "Laptop", &["start-up"]);
    assert_finds(&env, "Chatbot", &["start-up"]);
    assert_finds(&env, "Email", &["mail"]);
    assert_finds(&env, "E-Mail", &["mail"]);
    assert_highlights(&env, "Email", &["E-Mail"]);
}

#[test]
fn programming_names_are_one_word() {
    let env = corpus(vec![
        article(
            "cpp",
            "Sprachen",
            "Der Compiler übersetzt C++ und C# schneller; auch .NET und Node.js profitieren.",
        ),
        article(
            "name",
            "Interview",
            "Im Gespräch mit Fayçal C. ging es um den Verein und um Netzwerke.",
        ),
    ]);
    assert_finds(&env, "C++", &["cpp"]);
    assert_finds(&env, "C#", &["cpp"]);
    assert_finds(&env, ".NET", &["cpp"]);
    assert_finds(&env, "Node.js", &["cpp"]);
    assert_highlights(&env, "C++", &["C++"]);
}
