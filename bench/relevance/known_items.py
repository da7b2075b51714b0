#!/usr/bin/env python3
"""Pasted text as queries: a known-item test over the relevance collection.

    bench/relevance/known_items.py LUPE_BINARY INDEX_DIR [-- EXTRA_BATCH_ARGS...]

Real users paste headlines and sentences into the search box. This script
picks articles from ../shared/corpora deterministically (every 17th article
of gnad10k and of Wikinews with a title of at least four words) and asks for
each one with text taken from the article itself:

  - `headline`: the article's title, pasted whole (Wikinews: a headline;
    10kGNAD: DER STANDARD's teaser sentence),
  - `lead`: the first sentence of the body.

The article the text came from is the one relevant answer (known-item search:
it measures whether pasted text finds its article, not topic search, so it is
reported apart from the judged keyword set). The queries are generated at run
time, so no text of the shared corpora is copied into the repository.

Every query runs through one `lupe batch` (article ids, top 10, one passage
per article). A query that lupe answers with an error entry counts as
refused (reciprocal rank 0). Reported per group and for the two halves: the
tuning half (articles at even positions) and the held-out half (odd), which
no setting may be chosen on (bench/relevance/README.md).
"""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT.parent / "shared" / "corpora"
STEP = 17


def first_sentence(body: str) -> str:
    para = body.strip().split("\n\n")[0]
    # A sentence end: . ! ? followed by a space and a capital letter, not
    # after a one- or two-letter abbreviation or a number.
    m = re.search(r"(?<![A-ZÄÖÜa-zäöü]\.)(?<!\b[A-Za-z]{2}\.)(?<!\d\.)[.!?](?=\s+[A-ZÄÖÜ\"„])", para)
    return para[: m.end()] if m else para


def queries():
    out = []
    for name in ["gnad10k", "dewikinews"]:
        rows = [json.loads(line) for line in open(CORPORA / f"{name}.jsonl", encoding="utf-8")]
        rows = [r for r in rows if len((r.get("title") or "").split()) >= 4]
        for i, r in enumerate(rows[::STEP]):
            out.append((f"{name}-headline-{i:02}", "headline", r["title"], r["id"]))
            lead = first_sentence(r["body"])
            if len(lead.split()) >= 5 and lead != r["title"]:
                out.append((f"{name}-lead-{i:02}", "lead", lead, r["id"]))
    return out


def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        k = args.index("--")
        args, extra = args[:k], args[k + 1 :]
    if len(args) != 2:
        sys.exit(__doc__)
    lupe, index = args
    qs = queries()
    lines = "".join(json.dumps({"id": q[0], "query": q[2]}, ensure_ascii=False) + "\n" for q in qs)
    cmd = [lupe, "batch", "--index", index, "--format", "jsonl", "--fields", "article_id",
           "-n", "10", "--per-article", "1", *extra]
    res = subprocess.run(cmd, input=lines.encode(), capture_output=True)
    answers = {}
    for line in res.stdout.decode().splitlines():
        a = json.loads(line)
        answers[a["id"]] = a
    groups = {}
    refused = 0
    for qid, group, _text, article in qs:
        a = answers.get(qid, {})
        if "error" in a or not a:
            refused += 1
            rr = 0.0
        else:
            ids = [h["article_id"] for h in a["hits"]]
            rr = 1.0 / (ids.index(article) + 1) if article in ids else 0.0
        # Both queries of an article fall into the same half.
        half = "tuning" if int(qid.rsplit("-", 1)[1]) % 2 == 0 else "held-out"
        for key in [(group, "all"), (group, half), ("all", "all"), ("all", half)]:
            groups.setdefault(key, []).append(rr)
    print(f"{len(qs)} queries, {refused} refused (error entries)")
    print(f"{'group':10} {'half':9} {'n':>3} {'MRR@10':>7} {'S@1':>6}")
    for (group, half), rrs in sorted(groups.items()):
        s1 = sum(1 for r in rrs if r == 1.0) / len(rrs)
        print(f"{group:10} {half:9} {len(rrs):3} {sum(rrs) / len(rrs):7.3f} {s1:6.3f}")


if __name__ == "__main__":
    main()
