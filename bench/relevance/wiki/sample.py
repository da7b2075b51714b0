#!/usr/bin/env python3
"""Sampling and checking for the Wikipedia question set (bench/relevance/wiki).

Stdlib only.  Passages come from the shared splitter, imported from the peers
folder given with --peers (it is not copied into the repo):

  sample.py --peers DIR --corpus FILE draw [--seed 11] [--slots 1-100] [--draws 3]
      For each slot k (qid wq<k>) print the chosen article and the first
      --draws candidate passages (draw 0, 1, 2, ...).  The question is written
      for the first candidate that is worth asking about (see README.md,
      "Redraw rule"); picks.tsv records which draw was taken.
  sample.py --peers DIR --corpus FILE article ID
      Print every passage of one article (for judging).
  sample.py --peers DIR --corpus FILE check
      Validate queries.tsv, qrels.txt, types.tsv and picks.tsv against the
      split output and the sampling (exit 1 on any problem).

Sampling: the article ids are sorted and shuffled with random.Random(seed);
slot k takes the k-th article of that order.  Within an article the passages
(in split order) are drawn with random.Random("<seed>:<article id>"):
draw d is the d-th value of rng.randrange(number of passages).  A draw that
repeats an earlier one is skipped, so candidates are distinct.
"""
import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load(peers, corpus):
    sys.path.insert(0, peers)
    import split_passages  # noqa: E402  (path given on the command line)
    arts = {}
    for p in split_passages.iter_passages(corpus):
        arts.setdefault(p["article_id"], []).append(p)
    return arts


def article_order(arts, seed):
    ids = sorted(arts)
    random.Random(seed).shuffle(ids)
    return ids


def candidates(passages, seed, aid, n):
    rng = random.Random("%d:%s" % (seed, aid))
    seen, out = set(), []
    tries = 0
    while len(out) < min(n, len(passages)) and tries < 10000:
        tries += 1
        i = rng.randrange(len(passages))
        if i in seen:
            continue
        seen.add(i)
        out.append(passages[i])
    return out


def parse_slots(s):
    a, _, b = s.partition("-")
    return range(int(a), int(b or a) + 1)


def cmd_draw(arts, args):
    order = article_order(arts, args.seed)
    for k in parse_slots(args.slots):
        aid = order[k - 1]
        ps = arts[aid]
        print("=" * 78)
        print("wq%03d  %s  (%s, %d passages)" % (k, aid, ps[0]["title"], len(ps)))
        for d, p in enumerate(candidates(ps, args.seed, aid, args.draws)):
            print("--- draw %d: %s" % (d, p["pid"]))
            print(p["text"])
    return 0


def cmd_article(arts, args):
    for p in arts[args.id]:
        print("--- %s" % p["pid"])
        print(p["text"])
    return 0


def read_tsv(path, ncols):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            cols = line.split("\t")
            if len(cols) != ncols:
                raise SystemExit("%s:%d: expected %d columns" % (path, n, ncols))
            rows.append(cols)
    return rows


def cmd_check(arts, args):
    errors = []
    pids = {p["pid"] for ps in arts.values() for p in ps}
    queries = read_tsv(os.path.join(HERE, "queries.tsv"), 2)
    qids = [q for q, _ in queries]
    expect = ["wq%03d" % k for k in range(1, len(qids) + 1)]
    if qids != expect:
        errors.append("qids are not wq001..wq%03d in order" % len(qids))
    if len(qids) != args.expect:
        errors.append("%d queries, expected %d" % (len(qids), args.expect))
    norm = {}
    for q, text in queries:
        key = " ".join(text.lower().split())
        if key in norm:
            errors.append("%s duplicates %s" % (q, norm[key]))
        norm[key] = q
        words = len(text.split())
        if not 4 <= words <= 15:
            errors.append("%s has %d words" % (q, words))
    rel2 = {}
    seen = set()
    with open(os.path.join(HERE, "qrels.txt"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            cols = line.split()
            if not cols:
                continue
            if len(cols) != 4 or cols[1] != "0" or cols[3] not in ("1", "2"):
                errors.append("qrels.txt:%d: malformed" % n)
                continue
            q, _, pid, rel = cols
            if q not in norm.values():
                errors.append("qrels.txt:%d: unknown qid %s" % (n, q))
            if pid not in pids:
                errors.append("qrels.txt:%d: no passage %s" % (n, pid))
            if (q, pid) in seen:
                errors.append("qrels.txt:%d: %s judged twice for %s" % (n, pid, q))
            seen.add((q, pid))
            if rel == "2":
                rel2[q] = rel2.get(q, 0) + 1
    for q in qids:
        if not rel2.get(q):
            errors.append("%s has no rel-2 passage" % q)
    types = read_tsv(os.path.join(HERE, "types.tsv"), 3)
    if [t[0] for t in types] != qids:
        errors.append("types.tsv does not list the qids of queries.tsv in order")
    for q, _, names in types:
        if names not in ("yes", "no"):
            errors.append("types.tsv: %s names_subject must be yes/no" % q)
    # picks.tsv: qid, pid, draw -- the pick must be the sampled article's draw
    order = article_order(arts, args.seed)
    picks = read_tsv(os.path.join(HERE, "picks.tsv"), 3)
    if [p[0] for p in picks] != qids:
        errors.append("picks.tsv does not list the qids of queries.tsv in order")
    for q, pid, draw in picks:
        k = int(q[2:])
        aid = order[k - 1]
        cands = candidates(arts[aid], args.seed, aid, int(draw) + 1)
        if int(draw) >= len(cands) or cands[int(draw)]["pid"] != pid:
            errors.append("picks.tsv: %s %s is not draw %s of %s" % (q, pid, draw, aid))
        if (q, pid) not in seen or rel2.get(q) is None:
            errors.append("picks.tsv: picked passage %s is not judged for %s" % (pid, q))
    arts_used = [order[int(q[2:]) - 1] for q in qids]
    if len(set(arts_used)) != len(arts_used):
        errors.append("an article is used twice")
    for e in errors:
        print("error:", e)
    half = sum(1 for q in qids if int(q[2:]) % 2 == 0)
    print("%d queries (%d tuning/even, %d held-out/odd), %d judgments, %s"
          % (len(qids), half, len(qids) - half, len(seen),
             "OK" if not errors else "%d errors" % len(errors)))
    return 1 if errors else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--peers", required=True, help="folder holding split_passages.py")
    ap.add_argument("--corpus", required=True, help="dewiki_klexikon.jsonl")
    ap.add_argument("--seed", type=int, default=11)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("draw")
    d.add_argument("--slots", default="1-100")
    d.add_argument("--draws", type=int, default=3)
    a = sub.add_parser("article")
    a.add_argument("id")
    c = sub.add_parser("check")
    c.add_argument("--expect", type=int, default=100)
    args = ap.parse_args()
    arts = load(args.peers, args.corpus)
    return {"draw": cmd_draw, "article": cmd_article, "check": cmd_check}[args.cmd](arts, args)


if __name__ == "__main__":
    sys.exit(main())
