//! News as it comes: saved web pages (and, below, feeds) read by `lupe
//! extract` and `lupe ingest`. Fixtures live in `tests/fixtures/news/`,
//! written for these tests.

mod util;

use serde_json::Value;
use util::TestEnv;

const CHIP_PAGE: &[u8] = include_bytes!("fixtures/news/kikurier-chipfabrik.html");
const CP1252_PAGE: &[u8] = include_bytes!("fixtures/news/buergeramt-cp1252.html");
const LINKS_PAGE: &[u8] = include_bytes!("fixtures/news/startseite.html");

fn extract_json(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["extract", "--json"];
    all.extend(args);
    let run = env.run(&all).code(0);
    serde_json::from_str::<Vec<Value>>(&run.stdout()).expect("a JSON array")
}

#[test]
fn extract_prints_every_field_of_a_page_without_touching_the_index() {
    let env = TestEnv::new();
    let page = env.write("chip.html", CHIP_PAGE);
    let articles = extract_json(&env, &[&page]);
    assert_eq!(articles.len(), 1);
    let a = &articles[0];
    assert_eq!(
        a["id"],
        "https://kikurier.example/2025/chipfabrik-verzoegert"
    );
    assert_eq!(
        a["url"],
        "https://kikurier.example/2025/chipfabrik-verzoegert"
    );
    assert_eq!(a["title"], "Neue Chipfabrik in Magdeburg verzögert sich");
    assert_eq!(a["date"], "2025-03-04T09:15:00+01:00");
    assert_eq!(a["source"], "KI-Kurier");
    let body = a["body"].as_str().unwrap();
    assert!(body.starts_with("Der Bau der Halbleiterfabrik"), "{body}");
    assert!(
        body.contains("\n\nGewerkschaft fordert Klarheit\n\n"),
        "{body}"
    );
    assert!(
        !body.contains("Cookies") && !body.contains("Lesen Sie auch"),
        "{body}"
    );
    assert!(!env.index().exists(), "extract created an index");
    // The human form names every field too.
    env.run(["extract", page.as_str()])
        .code(0)
        .stdout_has("title:  Neue Chipfabrik in Magdeburg verzögert sich")
        .stdout_has("source: KI-Kurier");
}

#[test]
fn windows_1252_page_reads_right_and_is_keyed_by_its_path() {
    let env = TestEnv::new();
    let page = env.write("amt/buergeramt.html", CP1252_PAGE);
    let a = &extract_json(&env, &[&page])[0];
    assert_eq!(a["title"], "Bürgerämter prüfen Chatbots");
    assert_eq!(a["date"], "2023-06-13T11:30:00+02:00");
    assert!(
        a["body"]
            .as_str()
            .unwrap()
            .contains("außerhalb der Europäischen Union")
    );
    let id = a["id"].as_str().unwrap();
    assert!(
        id.starts_with('/') && id.ends_with("corpus/amt/buergeramt.html"),
        "{id}"
    );
}

#[test]
fn ingest_a_folder_of_pages_the_same_article_saved_twice_is_one() {
    let env = TestEnv::new();
    env.write("seiten/chip.html", CHIP_PAGE);
    env.write("seiten/chip-kopie.htm", CHIP_PAGE);
    env.write("seiten/amt.html", CP1252_PAGE);
    env.write("seiten/start.html", LINKS_PAGE);
    let (run, summary) = env.ingest_json(&["corpus/seiten"]);
    let run = run.code(2);
    run.skipped_line("corpus/seiten/start.html");
    assert!(run.stderr().contains("no article text found"), "{run}");
    assert_eq!(summary.counts(), (2, 0, 0, 1));
    assert_eq!(summary.duplicates, 1);
    assert_eq!(
        env.found(&["Reinraumtechnik"]),
        ["https://kikurier.example/2025/chipfabrik-verzoegert"]
    );
    // Boilerplate is not indexed.
    for noise in ["Cookies", "Kommentare", "Fördermittel", "Impressum"] {
        assert!(env.found(&[noise]).is_empty(), "{noise} was indexed");
    }
    let (_, again) = env.ingest_json(&["corpus/seiten/chip.html"]);
    assert_eq!(again.counts(), (0, 0, 1, 0));
}

const TALBLATT_PAGE: &[u8] = include_bytes!("fixtures/news/talblatt-rechenzentrum.html");

#[test]
fn the_title_is_the_publishers_own_without_the_sites_name() {
    let env = TestEnv::new();
    // Three titles: the share title (Open Graph), the JSON-LD headline
    // (also the <h1> at the end of the breadcrumb bar, for search
    // engines), and the <h2> readers see above the text under a kicker.
    // The publisher's share title is the one its own parsers take.
    let page = env.write("talblatt.html", TALBLATT_PAGE);
    let a = &extract_json(&env, &[&page])[0];
    assert_eq!(
        a["title"],
        "Warum ein Dorf sein eigenes Rechenzentrum bekommt"
    );
    assert_eq!(a["date"], "2025-09-12T07:30:00+02:00");
    let body = a["body"].as_str().unwrap();
    assert!(body.starts_with("Nach langer Debatte"), "{body}");
    assert!(
        body.contains("\n\nEinsprachen sind noch möglich\n\n"),
        "{body}"
    );
    // The headline shown, with its kicker, is not text.
    assert!(!body.contains("Rechenzentrum in Unterdorf"), "{body}");
    assert!(!body.contains("Gemeinderat sagt Ja zum Bau"), "{body}");
    // Without the share title, the JSON-LD headline.
    let no_og = String::from_utf8_lossy(TALBLATT_PAGE).replace("og:title", "og:untitled");
    let page = env.write("talblatt-ld.html", no_og.as_bytes());
    let a = &extract_json(&env, &[&page])[0];
    assert_eq!(
        a["title"],
        "KI-Rechenzentrum Unterdorf: Gemeinderat sagt Ja zum Bau"
    );
    // With only a <title> left, it loses the site's name, known from the
    // page's address.
    let bare = String::from_utf8_lossy(TALBLATT_PAGE)
        .replace("og:title", "og:untitled")
        .replace("\"headline\"", "\"alternativeHeadline\"")
        .replace(
            "<h1 class=\"seotitle\">KI-Rechenzentrum Unterdorf: Gemeinderat sagt Ja zum Bau</h1>",
            "",
        );
    let page = env.write("talblatt-ohne.html", bare.as_bytes());
    let a = &extract_json(&env, &[&page])[0];
    assert_eq!(
        a["title"],
        "KI-Rechenzentrum Unterdorf: Gemeinderat sagt Ja zum Bau"
    );
}

const RSS: &[u8] = include_bytes!("fixtures/news/kikurier-rss.xml");
const ATOM: &[u8] = include_bytes!("fixtures/news/forschung-atom.xml");
const JSON_FEED: &[u8] = include_bytes!("fixtures/news/blog-feed.json");

#[test]
fn feeds_are_read_by_extension_and_by_content() {
    let env = TestEnv::new();
    let rss = env.write("feeds/kikurier.rss", RSS);
    // No extension: recognised as a feed by its content.
    env.write("feeds/forschung", ATOM);
    // A .json file holding a JSON Feed is a feed, not an article record.
    env.write("feeds/blog.json", JSON_FEED);
    let items = extract_json(&env, &[&rss]);
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["id"], "kikurier-2025-0412");
    assert_eq!(items[0]["source"], "KI-Kurier");
    assert_eq!(items[0]["date"], "2025-04-12T07:30:00Z");
    assert_eq!(
        items[0]["body"].as_str().unwrap().split("\n\n").nth(1),
        Some("Kühlung mit Seewasser")
    );
    assert!(!items[0]["body"].as_str().unwrap().contains("tracker"));
    let (run, summary) = env.ingest_json(&["corpus/feeds"]);
    run.code(0);
    assert_eq!(summary.counts(), (7, 0, 0, 0));
    assert_eq!(env.found(&["Tagebausee"]), ["kikurier-2025-0412"]);
    assert_eq!(
        env.found(&["Mundart"]),
        ["tag:forschung.example,2025:sprachmodelle-dialekte"]
    );
    // The same feed again changes nothing.
    let (_, again) = env.ingest_json(&["corpus/feeds"]);
    assert_eq!(again.counts(), (0, 0, 7, 0));
}

#[test]
fn a_broken_feed_is_reported_with_its_file() {
    let env = TestEnv::new();
    let path = env.write(
        "kaputt.xml",
        "<?xml version=\"1.0\"?><rss><channel><item><title>x</ti",
    );
    let run = env.ingest(&[&path]).code(2);
    let line = run.skipped_line(&path);
    assert!(line.contains("invalid feed"), "{line}");
}

#[test]
fn a_page_nested_a_hundred_thousand_deep_is_read_flat() {
    // Such a page used to take the HTML parser minutes (quadratic time)
    // and hid its text below the walk's depth limit; now it is read flat.
    let env = TestEnv::new();
    let deep =
        "Ganz unten steht ein Satz, der lang genug ist, um als Absatz des Artikels zu zählen.";
    let page = format!(
        "<html><head><title>Tief verschachtelt</title></head><body>{}<p>{deep}</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let path = env.write("tief.html", page);
    let articles = extract_json(&env, &[&path]);
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0]["title"], "Tief verschachtelt");
    assert_eq!(articles[0]["body"], deep);
}
