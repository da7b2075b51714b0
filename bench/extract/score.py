#!/usr/bin/env python3
"""Score article extraction on saved news pages: lupe, and trafilatura beside it.

  python3 bench/extract/score.py target/release/lupe                 # bench/extract/pages: all, and each part
  python3 bench/extract/score.py target/release/lupe --split heldout
  python3 bench/extract/score.py target/release/lupe --dir ../shared/newspages/pages
  PY=venv/bin/python python3 bench/extract/score.py LUPE --trafilatura   # needs `pip install trafilatura`
  python3 bench/extract/score.py LUPE --rows                         # one line per page as well

Each NAME.html has NAME.json with the fields a hand-written parser for that publisher
extracts: title, date, summary (the lead), body (paragraphs and section headings, blank-line
separated), authors, url. The metrics are those of ../shared/newspages/score.py, so figures
on both sets compare: title exact (whitespace and quotes normalised, case-folded), date (same
calendar day), body token precision / recall / F1 against summary + body (multisets of
lowercase word tokens), averaged over pages. A page the extractor fails on scores 0.

Which pages are held out is fixed by split.tsv (site or page -> dev | heldout | heldoutN), declared before the
pages were written: tune only on dev pages, report held-out figures.
"""
import argparse, collections, glob, json, os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))

# The trafilatura call runs in whichever Python has trafilatura installed ($PY), one
# process for all pages, so that its import cost is not counted per page.
TRAF = r"""
import json, sys, trafilatura
for path in sys.argv[1:]:
    html = open(path, "rb").read()
    d = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if d is not None and not isinstance(d, dict):
        d = d.as_dict()
    d = d or {}
    print(json.dumps({"title": d.get("title"), "date": d.get("date"), "body": d.get("text")}))
"""

def toks(s):
    return collections.Counter(re.findall(r"\w+", (s or "").lower()))

def norm_title(s):
    s = re.sub(r"[\u201e\u201c\u201d\u00ab\u00bb\"'\u2019\u2018]", "", s or "")
    return re.sub(r"\s+", " ", s).strip().lower()

def day(s):
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", s or "")
    return m.group(0) if m else None

def first_article(out):
    out = out.strip()
    if not out:
        return {}
    try:
        v = json.loads(out)
    except json.JSONDecodeError:
        v = json.loads(out.splitlines()[0])
    if isinstance(v, list):
        v = v[0] if v else {}
    return v if isinstance(v, dict) else {}

def site_of(name):
    return re.sub(r"-\d+$", "", name)

def run_lupe(lupe, paths):
    got = []
    for path in paths:
        p = subprocess.run([lupe, "extract", "--json", path], capture_output=True, text=True)
        got.append(first_article(p.stdout) if p.returncode == 0 else {})
    return got

def run_trafilatura(paths):
    py = os.environ.get("PY", sys.executable)
    p = subprocess.run([py, "-c", TRAF, *paths], capture_output=True, text=True, check=True)
    return [json.loads(line) for line in p.stdout.splitlines()]

def score(exp, got):
    e, g = toks((exp.get("summary") or "") + " " + exp["body"]), toks(got.get("body"))
    inter = sum((e & g).values())
    prec = inter / sum(g.values()) if g else 0.0
    rec = inter / sum(e.values()) if e else 0.0
    return {
        "extracted": bool(got),
        # None: no reference of that kind for this page.
        "title": None if exp.get("title") is None
        else norm_title(exp["title"]) == norm_title(got.get("title")),
        "title_shown": None if exp.get("title_shown") is None
        else norm_title(exp["title_shown"]) == norm_title(got.get("title")),
        "date": day(exp["date"]) is not None and day(exp["date"]) == day(str(got.get("date") or "")),
        "body_p": prec,
        "body_r": rec,
        "body_f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
    }

def summary(rows):
    n = len(rows)
    out = {"pages": n, "extracted": sum(r["extracted"] for r in rows)}
    for k in ("title", "title_shown", "date", "body_p", "body_r", "body_f1"):
        vals = [float(r[k]) for r in rows if r[k] is not None]
        if k.startswith("title"):
            out[k + "_pages"] = len(vals)
        out[k] = round(sum(vals) / len(vals), 3) if vals else None
    return out

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lupe")
    ap.add_argument("--dir", default=os.path.join(HERE, "pages"))
    ap.add_argument("--split", default="all",
                    help="a part named in split.tsv (dev, heldout, heldout2, ...) or all")
    ap.add_argument("--trafilatura", action="store_true", help="score trafilatura beside lupe")
    ap.add_argument("--rows", action="store_true", help="print one line per page")
    a = ap.parse_args()

    # site -> part, and page -> part where a page's own line overrides its site's.
    split = {}
    split_file = os.path.join(a.dir, "..", "split.tsv")
    if os.path.exists(split_file):
        for line in open(split_file, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                site, part = line.split()[:2]
                split[site] = part
    part_of = lambda n: split.get(n, split.get(site_of(n), "-"))
    names = sorted(os.path.basename(p)[:-5] for p in glob.glob(os.path.join(a.dir, "*.json")))
    if split:
        missing = sorted({site_of(n) for n in names if part_of(n) == "-"})
        if missing:
            sys.exit(f"sites not in split.tsv: {' '.join(missing)}")
        if a.split != "all" and a.split not in split.values():
            sys.exit(f"no part {a.split} in split.tsv: {' '.join(sorted(set(split.values())))}")
    names = [n for n in names if a.split == "all" or part_of(n) == a.split]
    if not names:
        sys.exit(f"no pages in {a.dir} for split {a.split}")
    paths = [os.path.join(a.dir, n + ".html") for n in names]
    exps = [json.load(open(os.path.join(a.dir, n + ".json"), encoding="utf-8")) for n in names]

    extractors = {"lupe": run_lupe(a.lupe, paths)}
    if a.trafilatura:
        extractors["trafilatura"] = run_trafilatura(paths)
    for tool, gots in extractors.items():
        rows = [dict(page=n, part=part_of(n), **score(e, g))
                for n, e, g in zip(names, exps, gots)]
        if a.rows:
            for r in rows:
                print(json.dumps({k: (round(v, 3) if isinstance(v, float) else v)
                                  for k, v in r.items()}, ensure_ascii=False))
        # dev, heldout, heldout2, ..., heldout10: numbers in order.
        order = lambda p: (p.rstrip("0123456789"), int(p[len(p.rstrip("0123456789")):] or 0))
        parts = sorted({r["part"] for r in rows}, key=order) if split else []
        print(json.dumps({"extractor": tool, "split": a.split, **summary(rows)}))
        if a.split == "all" and len(parts) > 1:
            for part in parts:
                print(json.dumps({"extractor": tool, "split": part,
                                  **summary([r for r in rows if r["part"] == part])}))

if __name__ == "__main__":
    main()
