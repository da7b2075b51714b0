#!/usr/bin/env python3
"""Damages copies of a lupe index at random and runs lupe on each copy.

Usage: fuzz/damage_index.py LUPE INDEX [TRIALS] [SEED]

Each trial copies INDEX, flips, zeroes or truncates bytes in one random
segment file, then runs query, stats, batch, check and rebuild on the copy.
It reports any run that panicked, aborted or ended with an unexpected status,
how many `check` runs found the damage, and how many rebuilds repaired the
index (check passes afterwards with the original article count). Standard
library only; the copies live in a temporary folder.
"""
import collections
import glob
import os
import random
import shutil
import subprocess
import sys
import tempfile


def damage(path, rng):
    size = os.path.getsize(path)
    kind = rng.choice(["flip", "zero", "trunc"])
    with open(path, "r+b") as f:
        if kind == "trunc":
            f.truncate(rng.randrange(size))
        else:
            at = rng.randrange(size)
            n = min(rng.randint(1, 32), size - at)
            f.seek(at)
            f.write(bytes(rng.randrange(256) if kind == "flip" else 0 for _ in range(n)))
    return kind


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    lupe, index = sys.argv[1], sys.argv[2]
    trials = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 23)
    base = subprocess.run([lupe, "check", "--index", index], capture_output=True, text=True)
    if base.returncode != 0:
        sys.exit(f"the index must pass `lupe check` first:\n{base.stderr}")
    articles = base.stdout.split(": ", 1)[1].split(",")[0]  # "54 articles"
    commands = [
        ["query", "Sicherheit", "-n", "10", "--json"],
        ["stats"],
        ["batch", "-"],
        ["check"],
        ["rebuild", "-q"],
    ]
    bad, outcomes = 0, collections.Counter()
    with tempfile.TemporaryDirectory(prefix="lupe-damage-") as tmp:
        copy = os.path.join(tmp, "index")
        for _ in range(trials):
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(index, copy)
            files = [
                f
                for f in glob.glob(os.path.join(copy, "*"))
                if os.path.getsize(f) > 0 and not f.endswith("meta.json")
            ]
            target = rng.choice(files)
            kind = damage(target, rng)
            for cmd in commands:
                run = subprocess.run(
                    [lupe, cmd[0], "--index", copy, *cmd[1:]],
                    input=b"Chip Export\nDaten\n",
                    capture_output=True,
                    timeout=300,
                )
                err = run.stderr.decode("utf-8", "replace")
                if run.returncode not in (0, 1, 2) or "internal error" in err:
                    bad += 1
                    print(f"BAD {kind} {os.path.basename(target)} {cmd[0]}: "
                          f"status {run.returncode}\n{err[:500]}")
                if run.returncode == 2:
                    said = "damaged" if "damaged" in err else "other"
                    outcomes[f"{cmd[0]} exit 2, says {said}"] += 1
                if cmd[0] == "rebuild" and run.returncode == 0:
                    after = subprocess.run([lupe, "check", "--index", copy],
                                           capture_output=True, text=True)
                    ok = after.returncode == 0 and f": {articles}," in after.stdout
                    outcomes["rebuild repaired" if ok else "rebuild did NOT repair"] += 1
    for what, n in sorted(outcomes.items()):
        print(f"{n:5}  {what}")
    print(f"{bad} runs panicked, aborted or ended with an unexpected status")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
