#!/usr/bin/env python3
"""Per-group scores of article-level runs: keyword queries (de…), pasted
headlines (nl001–nl030), questions (nl031–nl060) and AI-domain queries
(dm…), each for all queries, the tuning half (even number) and the
held-out half (odd number).

    bench/relevance/groups.py RUN [RUN ...]
    bench/relevance/groups.py --markdown RUN [RUN ...]

Uses eval.py's metrics (MRR@10, nDCG@10; unjudged articles count as not
relevant). Python 3 standard library only.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import eval as ev  # noqa: E402


def group(qid):
    if qid.startswith("de"):
        return "keyword"
    if qid.startswith("dm"):
        return "domain"
    return "headline" if int(qid[2:]) <= 30 else "question"


GROUPS = ["keyword", "headline", "question", "domain"]
HALVES = [("all", lambda n: True), ("tuning", lambda n: n % 2 == 0),
          ("held-out", lambda n: n % 2 == 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs", nargs="+")
    ap.add_argument("--qrels", default=os.path.join(ev.HERE, "qrels.txt"))
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    qrels = ev.read_qrels(args.qrels)
    if args.markdown:
        print("| run | group | n | MRR@10 all / tuning / held-out | nDCG@10 all / tuning / held-out |")
        print("|---|---|---:|---|---|")
    for path in args.runs:
        name, ranked = ev.read_run(path, False)
        per_query = ev.evaluate(qrels, ranked)
        for g in GROUPS:
            qids = [q for q in per_query if group(q) == g]
            cells = {}
            for half, keep in HALVES:
                sel = [per_query[q] for q in qids if keep(int(q[2:]))]
                cells[half] = (len(sel), ev.mean(m[0] for m in sel), ev.mean(m[1] for m in sel))
            mrr = " / ".join(f"{cells[h][1]:.3f}" for h, _ in HALVES)
            ndcg = " / ".join(f"{cells[h][2]:.3f}" for h, _ in HALVES)
            if args.markdown:
                print(f"| {name} | {g} | {cells['all'][0]} | {mrr} | {ndcg} |")
            else:
                print(f"{name:<28}{g:<10}{cells['all'][0]:>4}  MRR {mrr}   nDCG {ndcg}")


if __name__ == "__main__":
    main()
