//! A bound on how deeply a page nests its elements, before it is parsed.
//!
//! The HTML parser (html5ever) walks its stack of open elements for many
//! start tags (every `<div>` asks "is a `<p>` open in button scope?"), so
//! a page that nests 100,000 `<div>`s costs it quadratic time: minutes
//! for a 1 MB page. Browsers cap the depth of the tree (Blink at 512)
//! and put deeper elements beside the last one allowed. lupe does the
//! same, in one cheap pass over the text: start tags deeper than
//! [`MAX_NESTING`] (and their end tags) are left out, their text stays.
//! News pages nest a few dozen elements deep (at most 31 on the 13 real
//! pages lupe is measured on); hostile or broken ones are read in linear
//! time, with their text.

use std::borrow::Cow;
use std::collections::HashMap;

/// Open elements allowed inside each other; deeper start tags are dropped.
pub const MAX_NESTING: usize = 128;

/// Elements without content: they never open a level.
const VOID: [&str; 16] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr", "frame",
];

/// Elements that the next one of their kind closes (`<p>a<p>b`, `<li>`,
/// table cells): they cannot nest without a counted element between
/// them, so they are not counted (sloppy pages leave them open).
const IMPLIED_END: [&str; 17] = [
    "p", "li", "dt", "dd", "option", "optgroup", "rb", "rt", "rp", "rtc", "tr", "td", "th",
    "thead", "tbody", "tfoot", "colgroup",
];

/// Elements whose content is text, not tags.
const RAW_TEXT: [&str; 9] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// HTML's "special" elements: an end tag of another element does not
/// close them (`<span><div></span>` leaves both open).
const SPECIAL: [&str; 79] = [
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
];

/// HTML elements that an end tag of a special element does not reach
/// past (the "scope" boundaries; SVG's and MathML's integration points are
/// boundaries too).
const SCOPE: [&str; 10] = [
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "select",
];

/// Elements of SVG that hold HTML again.
const SVG_INTEGRATION: [&str; 3] = ["foreignobject", "desc", "title"];

/// Elements of MathML that hold HTML (text) again.
const MATH_INTEGRATION: [&str; 5] = ["mi", "mo", "mn", "ms", "mtext"];

/// HTML start tags that end SVG or MathML content (`<svg><div>`).
const BREAKOUT: [&str; 44] = [
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Space {
    Html,
    Svg,
    Math,
}

/// An open element as the pass sees it.
struct Open {
    name: String,
    space: Space,
}

/// The namespace tags are read in here: SVG or MathML, except at their
/// integration points, where HTML comes back.
fn context(open: &[Open]) -> Space {
    match open.last() {
        Some(o) if o.space == Space::Svg && !SVG_INTEGRATION.contains(&o.name.as_str()) => {
            Space::Svg
        }
        Some(o) if o.space == Space::Math && !MATH_INTEGRATION.contains(&o.name.as_str()) => {
            Space::Math
        }
        _ => Space::Html,
    }
}

impl Open {
    /// A scope boundary: end tags of special elements stop here.
    fn is_boundary(&self) -> bool {
        let name = self.name.as_str();
        match self.space {
            Space::Html => SCOPE.contains(&name),
            Space::Svg => SVG_INTEGRATION.contains(&name),
            Space::Math => MATH_INTEGRATION.contains(&name) || name == "annotation-xml",
        }
    }

    /// A special element: end tags of others stop here.
    fn is_special(&self) -> bool {
        match self.space {
            Space::Html => SPECIAL.contains(&self.name.as_str()),
            _ => self.is_boundary(),
        }
    }
}

fn in_foreign(open: &[Open]) -> bool {
    context(open) != Space::Html
}

/// `html` with the elements nested deeper than `limit` flattened (their
/// tags left out, their text kept); borrowed when nothing nests that deep.
///
/// The pass tokenizes as HTML does (quoted attribute values, comments,
/// raw text of scripts and styles, script escapes, SVG and MathML and how
/// HTML tags end them) and follows the parser's tree building where it
/// decides depth: end tags that the parser ignores (across a table, past
/// a special element) leave elements open here too, `<p>`, `<li>` and
/// cells need no end tag and are not counted. Where it is unsure it
/// counts an element as open. A property test checks the parsed tree
/// against the bound on random pages built to be deep and tricky.
pub fn bound(html: &str, limit: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut pass = Pass {
        html,
        limit,
        open: Vec::new(),
        dropped: HashMap::new(),
        out: None,
        copied: 0,
    };
    let mut i = 0;
    while let Some(at) = find_byte(&bytes[i..], b'<') {
        let start = i + at;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            i = start + comment_len(&rest[4..]) + 4;
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = find_byte(rest, b'>').map_or(bytes.len(), |e| start + e + 1);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            // `<` before anything but a letter is text; `</` before one
            // opens a bogus comment that runs to the next `>`.
            i = if closing {
                find_byte(&rest[2..], b'>').map_or(bytes.len(), |e| start + 2 + e + 1)
            } else {
                start + 1
            };
            continue;
        }
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            .map_or(bytes.len(), |e| name_start + e);
        let tag = Tag {
            name: html[name_start..name_end].to_ascii_lowercase(),
            start,
            name_end,
            end: tag_end(bytes, name_end),
        };
        i = if closing {
            pass.end_tag(tag)
        } else {
            pass.start_tag(tag)
        };
    }
    match pass.out {
        Some(mut out) => {
            out.push_str(&html[pass.copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(html),
    }
}

/// One tag the pass reads: its lowercase name and where it is.
struct Tag {
    name: String,
    /// Its `<`.
    start: usize,
    /// The end of its name.
    name_end: usize,
    /// After its `>`.
    end: usize,
}

/// The state of one [`bound`] pass.
struct Pass<'h> {
    html: &'h str,
    limit: usize,
    /// The elements open at this point, as the parser would have them.
    open: Vec<Open>,
    /// Start tags left out, by name, whose end tags are left out too.
    dropped: HashMap<String, usize>,
    /// The page with tags left out, once one is.
    out: Option<String>,
    /// Everything before `copied` is in `out` (when there is an `out`).
    copied: usize,
}

impl Pass<'_> {
    /// Leaves the bytes `start..end` (a tag) out of the page.
    fn leave_out(&mut self, start: usize, end: usize) {
        let html = self.html;
        let out = self
            .out
            .get_or_insert_with(|| String::with_capacity(html.len()));
        out.push_str(&html[self.copied..start]);
        if out.ends_with('<') {
            // A `<` that was text must not start a tag with what follows.
            out.push_str("<!---->");
        }
        self.copied = end;
    }

    /// Takes an end tag; returns where reading goes on.
    fn end_tag(&mut self, tag: Tag) -> usize {
        let name = tag.name.as_str();
        if matches!(name, "p" | "br") {
            // These end SVG and MathML content, as their start tags do.
            while in_foreign(&self.open) {
                self.open.pop();
            }
        }
        if let Some(n) = self.dropped.get_mut(name).filter(|n| **n > 0) {
            // The dropped ones are the deepest: they close first.
            *n -= 1;
            self.leave_out(tag.start, tag.end);
        } else if matches!(name, "body" | "html" | "head") {
            // The parser closes none of these at their end tags.
        } else if let Some(pos) = self.open.iter().rposition(|o| o.name == name) {
            // What the parser would not close stays open.
            let special = self.open[pos].is_special();
            let closes = self.open[pos + 1..]
                .iter()
                .all(|o| !o.is_boundary() && (special || !o.is_special()));
            if name == "form" {
                // `</form>` takes the form alone off the stack.
                self.open.remove(pos);
            } else if closes {
                self.open.truncate(pos);
            }
        }
        tag.end
    }

    /// Takes a start tag; returns where reading goes on (after the text of
    /// a script or other raw-text element).
    fn start_tag(&mut self, tag: Tag) -> usize {
        let (bytes, name, end) = (self.html.as_bytes(), tag.name.as_str(), tag.end);
        let breakout = BREAKOUT.contains(&name)
            || (name == "font" && {
                let a = self.html[tag.name_end..end].to_ascii_lowercase();
                ["color", "face", "size"].iter().any(|k| a.contains(k))
            });
        if breakout && in_foreign(&self.open) {
            while in_foreign(&self.open) {
                self.open.pop();
            }
        }
        let space = match (context(&self.open), name) {
            (Space::Html, "svg") => Space::Svg,
            (Space::Html, "math") => Space::Math,
            (space, _) => space,
        };
        if space == Space::Html {
            if name == "script" || RAW_TEXT.contains(&name) {
                // Its text runs to its end tag (`<` in it is no tag), which
                // is passed over too: it closes nothing else.
                let text_end = if name == "script" {
                    script_end(bytes, end)
                } else {
                    let close = format!("</{name}");
                    find_ascii_ci(&bytes[end..], close.as_bytes()).map_or(bytes.len(), |e| end + e)
                };
                return if text_end < bytes.len() {
                    tag_end(bytes, text_end + 2 + name.len())
                } else {
                    bytes.len()
                };
            }
            // (`<plaintext>` makes the rest text: reading on can only
            // count more.)
            if VOID.contains(&name) || IMPLIED_END.contains(&name) {
                return end;
            }
        } else if bytes[..end].ends_with(b"/>") {
            // SVG and MathML elements can close themselves.
            return end;
        }
        // `<div/>` opens a `<div>` in HTML: it counts.
        if self.open.len() >= self.limit {
            *self.dropped.entry(tag.name).or_default() += 1;
            self.leave_out(tag.start, end);
        } else {
            self.open.push(Open {
                name: tag.name,
                space,
            });
        }
        end
    }
}

/// Where a script's text that starts at `from` ends (at its `</script`),
/// in HTML's script states: `<!--<script>…</script>` inside a script does
/// not end it.
fn script_end(bytes: &[u8], from: usize) -> usize {
    #[derive(PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let tag_follows = |at: usize| {
        bytes
            .get(at)
            .is_none_or(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
    };
    let starts = |at: usize, word: &[u8]| {
        bytes
            .get(at..at + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    };
    let mut state = State::Data;
    let mut i = from;
    while let Some(at) = memchr::memchr2(b'<', b'-', &bytes[i..]) {
        let at = i + at;
        i = at + 1;
        if bytes[at] == b'-' {
            if state != State::Data && starts(at, b"-->") {
                state = State::Data;
                i = at + 3;
            }
        } else if starts(at, b"</script") && tag_follows(at + 8) {
            if state != State::DoubleEscaped {
                return at;
            }
            state = State::Escaped;
        } else if state == State::Data && starts(at, b"<!--") {
            // On the dashes: `<!-->` ends the escape at once.
            state = State::Escaped;
            i = at + 2;
        } else if state == State::Escaped && starts(at, b"<script") && tag_follows(at + 7) {
            state = State::DoubleEscaped;
        }
    }
    bytes.len()
}

/// The length of a comment's rest after `<!--`, through its end: `-->`,
/// `--!>`, or at once for `<!-->` and `<!--->`.
fn comment_len(rest: &[u8]) -> usize {
    if rest.starts_with(b">") {
        return 1;
    }
    if rest.starts_with(b"->") {
        return 2;
    }
    let mut from = 0;
    while let Some(at) = find(&rest[from..], b"--") {
        let dashes = from + at;
        if rest[dashes + 2..].starts_with(b">") {
            return dashes + 3;
        }
        if rest[dashes + 2..].starts_with(b"!>") {
            return dashes + 4;
        }
        from = dashes + 1;
    }
    rest.len()
}

/// Where a tag whose name ends at `from` ends: past its `>`. Attributes
/// are read as HTML's tokenizer reads them (a quote starts a value only
/// after `=`: `<div a"b>` has none), so no tag hides in or behind one.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Unquoted,
    }
    let mut state = State::BeforeName;
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        let space = b.is_ascii_whitespace();
        state = match (state, b) {
            (State::BeforeValue, b'"' | b'\'') => {
                // A quoted value runs to its quote; then a new attribute.
                i = find_byte(&bytes[i..], b).map_or(bytes.len(), |e| i + e + 1);
                State::BeforeName
            }
            (_, b'>') => return i,
            (State::BeforeValue, _) if space => State::BeforeValue,
            (State::BeforeValue | State::Unquoted, _) if !space => State::Unquoted,
            (State::Unquoted, _) => State::BeforeName,
            (_, b'/') => State::BeforeName,
            (State::BeforeName | State::AfterName, _) if space => state,
            (State::Name, _) if space => State::AfterName,
            (State::Name | State::AfterName, b'=') => State::BeforeValue,
            // `=` where a name starts is part of the name.
            (_, _) => State::Name,
        };
    }
    bytes.len()
}

fn find_byte(haystack: &[u8], needle: u8) -> Option<usize> {
    memchr::memchr(needle, haystack)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// Where `needle` (which starts with `<`) first occurs, ASCII case
/// ignored: scripts are long, so this jumps from `<` to `<`.
fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = find_byte(&haystack[from..], b'<') {
        let start = from + at;
        if haystack
            .get(start..start + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        {
            return Some(start);
        }
        from = start + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_stay_as_they_are() {
        let page = "<html><body><div><p>a<p>b<ul><li>x<li>y</ul><br><img src=x></div>\
                    <script>if (a<b) { x = '<div>'.repeat(9) }</script><!-- <div><div> --></body></html>";
        assert!(matches!(bound(page, 4), Cow::Borrowed(_)));
    }

    #[test]
    fn deeper_start_tags_and_their_end_tags_leave() {
        let page = format!(
            "{}<p>tief</p>{}<p>danach</p>",
            "<div class=\"a>b\">".repeat(5),
            "</div>".repeat(5)
        );
        let bounded = bound(&page, 2);
        assert_eq!(
            bounded,
            "<div class=\"a>b\"><div class=\"a>b\"><p>tief</p></div></div><p>danach</p>"
        );
    }

    #[test]
    fn self_closing_divs_count_and_stray_end_tags_are_kept() {
        let page = format!("{}x</span></div>", "<div/>".repeat(4));
        // The `</div>` closes the dropped fourth `<div/>`.
        assert_eq!(bound(&page, 3), "<div/><div/><div/>x</span>");
    }

    #[test]
    fn tags_hidden_in_attributes_comments_and_scripts_are_no_tags() {
        let page = concat!(
            "<div data-x=\"</div><div>\" title = 'a>b' c=d>",
            "<!-- </div> --><!----><!--><span>",
            "<script>let s = \"</div>\";</script><div a\"b>x</div>",
        );
        // An end tag inside a value or a script must not count as one, nor
        // may a tag hide behind a short comment: the outer div and the span
        // stay open, so the third level is left out.
        assert_eq!(
            bound(page, 2),
            concat!(
                "<div data-x=\"</div><div>\" title = 'a>b' c=d>",
                "<!-- </div> --><!----><!--><span>",
                "<script>let s = \"</div>\";</script>x"
            )
        );
    }

    #[test]
    fn end_tags_the_parser_ignores_leave_elements_open() {
        // `</div>` does not reach past a table, `</span>` not past a div.
        let page = "<div><table></div>".repeat(3) + &"<span><div></span>".repeat(3);
        let bounded = bound(&page, 4);
        assert_eq!(bounded.matches("<div>").count(), 2, "{bounded}");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Pages that open more than they close, in every way HTML can.
        fn page() -> impl Strategy<Value = String> {
            let open = prop::sample::select(vec![
                "<div>",
                "<span>",
                "<b>",
                "<a href=x>",
                "<table>",
                "<tr>",
                "<td>",
                "<p>",
                "<ul>",
                "<li>",
                "<select>",
                "<option>",
                "<svg>",
                "<math>",
                "<font>",
                "<foreignObject>",
                "<h1>",
                "<div/>",
                "<div a=\"",
                "<template>",
                "<section class='a>b'>",
            ]);
            let close = prop::sample::select(vec![
                "</div>",
                "</span>",
                "</b>",
                "</a>",
                "</table>",
                "</td>",
                "</p>",
                "</svg>",
                "</title>",
                "</script>",
                "</template>",
                "</h1>",
            ]);
            let other = prop::sample::select(vec![
                "</select>",
                "</foreignObject>",
                "</math>",
                "</tr>",
                "<g/>",
                "</body>",
                "<body>",
                "<form>",
                "</form>",
                "</script>",
                "<script><!--<script>",
                "<mi>",
                "<desc>",
                "<font color=red>",
                "<title>",
                "<script>",
                "<style>",
                "<!--",
                "-->",
                "<!-->",
                "--!>",
                "\"",
                "'",
                "=",
                ">",
                "<",
                "</",
                " ",
                "Wort",
                "ü",
                "<br>",
                "<img src=y>",
                "<plaintext>",
                "<xmp>",
                "<iframe>",
                "<textarea>",
            ]);
            prop::collection::vec(prop_oneof![6 => open, 2 => close, 2 => other], 0..200)
                .prop_map(|p| p.concat())
        }

        /// Elements inside each other in html5ever's tree, at most.
        fn depth(html: &str) -> usize {
            let doc = scraper::Html::parse_document(html);
            doc.tree
                .root()
                .descendants()
                .filter(|n| n.value().is_element())
                .map(|n| n.ancestors().filter(|a| a.value().is_element()).count() + 1)
                .max()
                .unwrap_or(0)
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(500))]

            #[test]
            fn the_parsed_tree_stays_within_the_bound(html in page()) {
                let limit = 3;
                let bounded = bound(&html, limit);
                // Elements that need no end tag add up to 4 levels per
                // counted one (table > tbody > tr > td), plus html and body.
                let depth = depth(&bounded);
                prop_assert!(depth <= 5 * limit + 2, "depth {depth}: {bounded:?}");
            }
        }
    }

    #[test]
    fn unclosed_elements_close_with_their_parent() {
        // The spans left open inside a div end with it: depth stays 2.
        let page = "<div><span><span><span></div>".repeat(3);
        assert_eq!(bound(&page, 4), page);
    }
}
