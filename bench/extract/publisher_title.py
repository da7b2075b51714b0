#!/usr/bin/env python3
"""The title a publisher's own parser takes from a saved page, for the sites that have one.

  python3 bench/extract/publisher_title.py PAGE.html...     # prints site, page, title
  python3 bench/extract/publisher_title.py --write PAGE.html...   # sets "title" in PAGE.json

The issue measures titles against "the fields a hand-written publisher parser extracts",
as ../shared/newspages does with the parsers of fundus (github.com/flairNLP/fundus). Those
parsers read one metadata field per site, never the <h1>; RULES names that field for each
of our sites whose publisher fundus has a parser for (read from fundus's publisher
modules, latest parser version each). A site without one gets no such title (null), and
its pages count only for `title_shown`, the headline as the page shows it.
"""
import html as html_lib, json, os, re, sys
from html.parser import HTMLParser

from score import site_of

RULES = {
    "tagesschau": "og:title", "spiegel": "og:title", "zeit": "ld:headline",
    "faz": "og:title", "sueddeutsche": "ld:headline", "welt": "ld:headline",
    "ntv": "og:title", "br24": "ld:headline", "dw": "ld:headline", "heise": "ld:headline",
    "golem": "meta:title - Golem.de", "netzpolitik": "og:title", "tagesspiegel": "og:title",
    "stern": "og:title", "focus": "ld:headline", "fr": "og:title", "zdfheute": "og:title",
    "tonline": "ld:headline", "taz": "meta:taz:title", "bild": "og:title",
    "merkur": "og:title", "mdr": "ld:headline", "ndr": "meta:title", "wdr": "og:title",
    "berliner-zeitung": "og:title", "businessinsider": "og:title", "winfuture": "og:title",
    "boersen-zeitung": "og:title |", "rbb24": "og:title", "hessenschau": "og:title",
    "stuttgarter-zeitung": "og:title", "rp-online": "og:title", "correctiv": "ld:headline",
    "lto": "og:title", "krautreporter": "og:title", "gamestar": "og:title",
    "waz": "ld:headline", "abendblatt": "ld:headline",
    "braunschweiger-zeitung": "ld:headline", "freitag": "og:title", "freiepresse": "og:title |",
    "mz": "meta:title", "ruhrnachrichten": "og:title", "morgenpost": "ld:headline",
    "jungewelt": "og:title", "afp-faktencheck": "og:title", "sportschau": "og:title",
    "derstandard": "og:title", "diepresse": "ld:headline", "kleinezeitung": "ld:NewsArticle",
    "orf": "og:title", "salzburgernachrichten": "ld:NewsArticle", "nzz": "meta:title",
    "tagesanzeiger": "og:title", "zwanzigminuten": "og:title", "euronews": "og:title",
    "kicker": "og:title", "motorsport-magazin": "og:title", "vogue": "og:title",
    "postillon": "og:title", "klassegegenklasse": "og:title",
}

class Head(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta, self.ld, self._in_ld = {}, [], False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "content" in a:
            key = a.get("name") or a.get("property")
            if key and key not in self.meta:
                self.meta[key] = a["content"] or ""
        self._in_ld = tag == "script" and (a.get("type") or "").lower() == "application/ld+json"
        if self._in_ld:
            self.ld.append("")
    def handle_endtag(self, tag):
        self._in_ld = False if tag == "script" else self._in_ld
    def handle_data(self, data):
        if self._in_ld:
            self.ld[-1] += data

def decode(raw):
    m = re.search(rb"""charset\s*=\s*["']?([\w-]+)""", raw[:4096], re.I)
    try:
        return raw.decode(m.group(1).decode() if m else "utf-8", errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")

def ld_headline(blocks, only=None):
    """The first "headline" found breadth-first over the page's JSON-LD (of
    an object of type `only`, if given)."""
    queue = []
    for block in blocks:
        try:
            queue.append(json.loads(block))
        except json.JSONDecodeError:
            pass
    while queue:
        node = queue.pop(0)
        if isinstance(node, dict):
            if "headline" in node and only in (None, node.get("@type")):
                h = node["headline"]
                return html_lib.unescape(h) if isinstance(h, str) else None
            queue.extend(node.values())
        elif isinstance(node, list):
            queue.extend(node)
    return None

def publisher_title(site, raw):
    rule = RULES.get(site)
    if rule is None:
        return None
    head = Head()
    head.feed(decode(raw))
    if rule.startswith("ld:"):
        return ld_headline(head.ld, None if rule == "ld:headline" else rule[3:])
    field, _, cut = rule.partition(" ")
    value = head.meta.get(field.removeprefix("meta:"))
    if value is None:
        return None
    if cut == "|":
        return value.split("|")[0].strip()
    return value.replace(" " + cut, "") if cut else value

def main():
    write = "--write" in sys.argv
    for path in (p for p in sys.argv[1:] if p != "--write"):
        name = os.path.basename(path).rsplit(".", 1)[0]
        site = site_of(name)
        title = publisher_title(site, open(path, "rb").read())
        print(f"{site}\t{name}\t{title}")
        if write:
            ref = path.rsplit(".", 1)[0] + ".json"
            exp = json.load(open(ref, encoding="utf-8"))
            exp["title"] = title
            with open(ref, "w", encoding="utf-8") as f:
                json.dump(exp, f, ensure_ascii=False, indent=2)
                f.write("\n")

if __name__ == "__main__":
    main()
