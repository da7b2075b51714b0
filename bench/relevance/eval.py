#!/usr/bin/env python3
"""Evaluate article-level TREC runs against the German relevance set.

    bench/relevance/eval.py RUN [RUN ...]
    bench/relevance/eval.py --unjudged --unjudged-out todo.txt RUN ...

RUN lines: ``qid Q0 article_id rank score tag`` (whitespace-separated).
Qrels lines: ``qid 0 article_id rel`` with graded rel 0/1/2.

Metrics, per query, averaged over every query in the qrels that has at
least one relevant article (rel >= 1); a query missing from a run scores 0:

* MRR@10  - reciprocal rank of the first article with rel >= 1 in the top 10
* nDCG@10 - linear gain (gain = rel), discount log2(rank + 1); the ideal
            ranking is built from all judged articles of the query
* R@10    - relevant articles (rel >= 1) in the top 10 / all relevant ones

Unjudged articles count as not relevant.  ``--unjudged`` reports, per run,
how many top-10 articles have no judgment (so new systems can be judged to
complete the pool); ``--unjudged-out FILE`` writes them as
``qid article_id run`` lines.

Ranking order: by default the rank column (the order the system printed);
``--by-score`` uses trec_eval's order instead (score descending, ties by
article id descending).  Duplicate articles in a query keep their first
(best) position.  Python 3 standard library only.
"""
import argparse
import math
import os
import sys
from collections import defaultdict, OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
K = 10
PHENOMENA_ORDER = ["compound-part", "compound-whole", "inflection",
                   "transliteration", "hyphen", "gender", "plain"]


def read_qrels(path):
    qrels = defaultdict(dict)
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            if len(parts) != 4:
                sys.exit(f"{path}:{n}: expected 'qid 0 article_id rel'")
            qid, _, doc, rel = parts
            qrels[qid][doc] = int(rel)
    return qrels


def read_phenomena(path):
    ph = {}
    if not path or not os.path.exists(path):
        return ph
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[0] and not parts[0].startswith("#"):
                ph[parts[0]] = parts[1].strip()
    return ph


def read_run(path, by_score):
    rows = defaultdict(list)
    tags = set()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) < 6:
                sys.exit(f"{path}:{n}: expected 'qid Q0 article_id rank score tag'")
            qid, _, doc, rank, score, tag = parts[:6]
            rows[qid].append((int(rank), float(score), doc))
            tags.add(tag)
    ranked = {}
    for qid, hits in rows.items():
        if by_score:
            hits.sort(key=lambda h: h[2], reverse=True)   # ties: docid descending
            hits.sort(key=lambda h: h[1], reverse=True)   # stable sort on score
        else:
            hits.sort(key=lambda h: h[0])
        seen, docs = set(), []
        for _, _, doc in hits:
            if doc not in seen:
                seen.add(doc)
                docs.append(doc)
        ranked[qid] = docs
    name = tags.pop() if len(tags) == 1 else os.path.basename(path)
    return name, ranked


def query_metrics(judged, docs):
    rels = [judged.get(d, 0) for d in docs[:K]]
    nrel = sum(1 for r in judged.values() if r >= 1)
    rr = 0.0
    for i, r in enumerate(rels):
        if r >= 1:
            rr = 1.0 / (i + 1)
            break
    dcg = sum(r / math.log2(i + 2) for i, r in enumerate(rels))
    ideal = sorted(judged.values(), reverse=True)[:K]
    idcg = sum(r / math.log2(i + 2) for i, r in enumerate(ideal))
    ndcg = dcg / idcg if idcg > 0 else 0.0
    rec = sum(1 for r in rels if r >= 1) / nrel if nrel else 0.0
    return rr, ndcg, rec


def evaluate(qrels, ranked):
    per_query = OrderedDict()
    for qid in sorted(qrels):
        if not any(r >= 1 for r in qrels[qid].values()):
            continue
        per_query[qid] = query_metrics(qrels[qid], ranked.get(qid, []))
    return per_query


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def groups(per_query, phenomena):
    out = OrderedDict()
    out["all"] = list(per_query)
    names = [p for p in PHENOMENA_ORDER if p in set(phenomena.values())]
    names += sorted(set(phenomena.values()) - set(names))
    for p in names:
        qids = [q for q in per_query if phenomena.get(q) == p]
        if qids:
            out[p] = qids
    return out


def summarize(per_query, phenomena):
    table = OrderedDict()
    for g, qids in groups(per_query, phenomena).items():
        table[g] = (len(qids),
                    mean(per_query[q][0] for q in qids),
                    mean(per_query[q][1] for q in qids),
                    mean(per_query[q][2] for q in qids))
    return table


def unjudged(qrels, ranked):
    missing = []
    for qid in sorted(qrels):
        for doc in ranked.get(qid, [])[:K]:
            if doc not in qrels[qid]:
                missing.append((qid, doc))
    return missing


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("runs", nargs="+", metavar="RUN", help="article-level TREC run file(s)")
    ap.add_argument("--qrels", default=os.path.join(HERE, "qrels.txt"))
    ap.add_argument("--phenomena", default=os.path.join(HERE, "phenomena.tsv"))
    ap.add_argument("--by-score", action="store_true",
                    help="order by score (trec_eval ties) instead of the rank column")
    ap.add_argument("--per-query", action="store_true", help="also print every query's scores")
    ap.add_argument("--markdown", action="store_true", help="print Markdown tables")
    ap.add_argument("--unjudged", action="store_true",
                    help="report top-10 articles without a judgment, per run")
    ap.add_argument("--unjudged-out", metavar="FILE",
                    help="write the unjudged top-10 pairs as 'qid article_id run' lines")
    args = ap.parse_args()

    qrels = read_qrels(args.qrels)
    phenomena = read_phenomena(args.phenomena)
    results, todo = OrderedDict(), []
    for path in args.runs:
        name, ranked = read_run(path, args.by_score)
        if name in results:
            name = f"{name} ({os.path.basename(path)})"
        per_query = evaluate(qrels, ranked)
        results[name] = (per_query, summarize(per_query, phenomena), unjudged(qrels, ranked), ranked)

    for name, (per_query, table, missing, ranked) in results.items():
        print(f"run {name}: {len(per_query)} queries evaluated, "
              f"{sum(1 for q in per_query if q in ranked)} answered, cutoff {K}")
        if args.markdown:
            print("\n| phenomenon | n | MRR@10 | nDCG@10 | R@10 |\n|---|---:|---:|---:|---:|")
            for g, (n, mrr, ndcg, rec) in table.items():
                print(f"| {g} | {n} | {mrr:.3f} | {ndcg:.3f} | {rec:.3f} |")
        else:
            print(f"  {'phenomenon':<16}{'n':>4}{'MRR@10':>9}{'nDCG@10':>9}{'R@10':>8}")
            for g, (n, mrr, ndcg, rec) in table.items():
                print(f"  {g:<16}{n:>4}{mrr:>9.4f}{ndcg:>9.4f}{rec:>8.4f}")
        if args.per_query:
            print(f"  {'qid':<8}{'phenomenon':<16}{'RR@10':>8}{'nDCG@10':>9}{'R@10':>8}")
            for q, (rr, ndcg, rec) in per_query.items():
                print(f"  {q:<8}{phenomena.get(q, '-'):<16}{rr:>8.4f}{ndcg:>9.4f}{rec:>8.4f}")
        if args.unjudged:
            total = sum(min(K, len(ranked.get(q, []))) for q in per_query)
            qs = sorted(set(q for q, _ in missing))
            print(f"  unjudged in top {K}: {len(missing)} of {total} articles, in {len(qs)} queries"
                  + (f" ({', '.join(qs)})" if qs else ""))
            todo += [(q, d, name) for q, d in missing]
        print()

    if len(results) > 1:
        groups_ = list(next(iter(results.values()))[1].keys())
        print("Summary (MRR@10 / nDCG@10 / R@10):")
        if args.markdown:
            print("\n| run | " + " | ".join(groups_) + " |")
            print("|---|" + "---:|" * len(groups_))
        width = max(len(name) for name in results) + 2
        for name, (_, table, _, _) in results.items():
            cells = ["%.3f / %.3f / %.3f" % table[g][1:] for g in groups_]
            if args.markdown:
                print(f"| {name} | " + " | ".join(cells) + " |")
            else:
                print(f"  {name:<{width}}" + "  ".join(f"{g}={c}" for g, c in zip(groups_, cells)))

    if args.unjudged_out:
        with open(args.unjudged_out, "w", encoding="utf-8") as f:
            for q, d, name in todo:
                f.write(f"{q} {d} {name}\n")


if __name__ == "__main__":
    main()
