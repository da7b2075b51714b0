#!/usr/bin/env python3
"""Score passage runs on the Wikipedia question set, at passage and at
article level, for all questions, the tuning half (even qid) and the
held-out half (odd qid), and per question type.

    score.py [--qrels QRELS] [--types TYPES] [--markdown] NAME=RUN [NAME=RUN ...]

Passage level: the run's docids are the peers' passage ids (lupe_run.py maps
lupe's). Article level: each run is collapsed to its articles (best passage
first, as ../article_run.py does) and an article's grade is the best grade
of its judged passages. Metrics from ../eval.py, ordered by score as trec_eval does.
Python 3 standard library only.
"""
import argparse
import os
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import eval as ev  # noqa: E402

HALVES = [("all", lambda n: True), ("tuning", lambda n: n % 2 == 0),
          ("held-out", lambda n: n % 2 == 1)]


def article(docid):
    return docid.split("#", 1)[0].removeprefix("lupe:")


def to_articles(qrels, run):
    aq = defaultdict(dict)
    for qid, docs in qrels.items():
        for docid, rel in docs.items():
            a = article(docid)
            aq[qid][a] = max(rel, aq[qid].get(a, 0))
    ar = {}
    for qid, rows in run.items():
        seen, out = set(), []
        for docid in rows:
            a = article(docid)
            if a not in seen:
                seen.add(a)
                out.append(a)
        ar[qid] = out
    return aq, ar


def metrics(judged, docs):
    rr, ndcg, _ = ev.query_metrics(judged, docs)
    nrel = sum(1 for r in judged.values() if r >= 1)
    r100 = sum(1 for d in docs[:100] if judged.get(d, 0) >= 1) / nrel if nrel else 0.0
    return {"MRR@10": rr, "nDCG@10": ndcg, "R@100": r100}


def mean(per_query, qids, metric):
    vals = [per_query[q][metric] for q in qids if q in per_query]
    return sum(vals) / len(vals) if vals else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs", nargs="+", help="NAME=RUN")
    ap.add_argument("--qrels", default=os.path.join(HERE, "qrels.txt"))
    ap.add_argument("--types", default=os.path.join(HERE, "types.tsv"))
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--per-query", action="store_true")
    args = ap.parse_args()
    qrels = ev.read_qrels(args.qrels)
    types = {}
    if os.path.exists(args.types):
        for line in open(args.types, encoding="utf-8"):
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and not line.startswith("#"):
                types[parts[0]] = parts[1]
    qids = sorted(q for q, d in qrels.items() if any(r >= 1 for r in d.values()))
    num = {q: int("".join(c for c in q if c.isdigit())) for q in qids}
    sep = " | " if args.markdown else "  "
    header = ["run", "level", "n", "MRR@10 all/tuning/held-out", "nDCG@10 all/tuning/held-out", "R@100"]
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
    else:
        print(sep.join(header))
    per_type_rows = []
    for spec in args.runs:
        name, path = spec.split("=", 1)
        _, run = ev.read_run(path, by_score=True)
        aq, ar = to_articles(qrels, run)
        for level, (q_, r_) in (("passage", (qrels, run)), ("article", (aq, ar))):
            pq = {q: metrics(q_[q], r_.get(q, [])) for q in qids}
            cells = [name, level, str(len(qids))]
            for metric in ("MRR@10", "nDCG@10"):
                cells.append(" / ".join(
                    "%.3f" % mean(pq, [q for q in qids if keep(num[q])], metric)
                    for _, keep in HALVES))
            cells.append("%.3f" % mean(pq, qids, "R@100"))
            print(("| " if args.markdown else "") + sep.join(cells) + (" |" if args.markdown else ""))
            if level == "passage" and types:
                by = defaultdict(list)
                for q in qids:
                    by[types.get(q, "?")].append(q)
                per_type_rows.append((name, {t: (len(v), mean(pq, v, "MRR@10")) for t, v in by.items()}))
            if args.per_query:
                for q in qids:
                    print(f"    {name} {level} {q} RR={pq[q]['MRR@10']:.2f}", file=sys.stderr)
    if per_type_rows:
        kinds = sorted({t for _, d in per_type_rows for t in d})
        print()
        print("passage MRR@10 per question type")
        print(sep.join(["run"] + [f"{t}({per_type_rows[0][1].get(t, (0,))[0]})" for t in kinds]))
        for name, d in per_type_rows:
            print(sep.join([name] + ["%.3f" % d[t][1] if t in d else "-" for t in kinds]))


if __name__ == "__main__":
    main()
