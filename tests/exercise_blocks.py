#!/usr/bin/env python3
"""exercise_blocks.py — the exercise is the solution with its step blocks emptied.

An exercise file marks what the learner writes with a pair of lines that the
solution's file has too, word for word:

    // >>> step 2: exchange the halo with the neighbours
    ... the learner's TODO and placeholder (exercise) / the answer (solution) ...
    // <<< step 2

Outside the blocks the two files are identical.  Files of the exercise folder
without blocks (C++ sources and headers) are identical to the solution's.

  exercise_blocks.py compare EXDIR SOLDIR      exit 1 and say where they differ
  exercise_blocks.py fill EXDIR SOLDIR OUTDIR  copy EXDIR to OUTDIR with every
                                               block taken from the solution
  exercise_blocks.py steps EXDIR               list the steps, one per line
"""
import os
import re
import shutil
import sys

BEGIN = re.compile(r"^\s*(//|#) >>> step (\S+?):?(\s.*)?$")
END = re.compile(r"^\s*(//|#) <<< step (\S+)\s*$")
CODE = (".cpp", ".hpp", ".h", ".c", ".py")


def split(path):
    """[(kind, text)]: kind 'out' for lines outside blocks, 'step N' for a block body."""
    parts, out, body, step = [], [], None, None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            b, e = BEGIN.match(line), END.match(line)
            if b:
                if step is not None:
                    sys.exit(f"{path}:{n}: step {b.group(2)} begins inside step {step}")
                step, body = b.group(2), []
                out.append(line)
            elif e:
                if step is None or e.group(2) != step:
                    sys.exit(f"{path}:{n}: '<<< step {e.group(2)}' without its '>>> step'")
                parts.append(("out", "".join(out)))
                parts.append((f"step {step}", "".join(body)))
                out, body, step = [line], None, None
            elif step is not None:
                body.append(line)
            else:
                out.append(line)
    if step is not None:
        sys.exit(f"{path}: step {step} is not closed")
    parts.append(("out", "".join(out)))
    return parts


def code_files(d):
    return sorted(f for f in os.listdir(d) if f.endswith(CODE) and os.path.isfile(os.path.join(d, f)))


def compare(ex, sol):
    problems, steps = [], 0
    for f in code_files(ex):
        pe, ps = os.path.join(ex, f), os.path.join(sol, f)
        if not os.path.exists(ps):
            problems.append(f"{f}: in the exercise but not in the solution")
            continue
        a, b = split(pe), split(ps)
        if [k for k, _ in a] != [k for k, _ in b]:
            problems.append(f"{f}: the exercise has blocks {[k for k, _ in a if k != 'out']}, "
                            f"the solution {[k for k, _ in b if k != 'out']}")
            continue
        for (k, ta), (_, tb) in zip(a, b):
            if k == "out" and ta != tb:
                la, lb = ta.splitlines(), tb.splitlines()
                i = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
                problems.append(f"{f}: differs outside the step blocks, near "
                                f"exercise '{la[i] if i < len(la) else '<end>'}' / "
                                f"solution '{lb[i] if i < len(lb) else '<end>'}'")
                break
            if k != "out":
                steps += 1
    for f in code_files(sol):
        if not os.path.exists(os.path.join(ex, f)):
            problems.append(f"{f}: in the solution but not in the exercise")
    if steps == 0:
        problems.append("the exercise has no '>>> step' block")
    for p in problems:
        print(p)
    return 1 if problems else 0


def fill(ex, sol, out):
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(ex, out, ignore=shutil.ignore_patterns("build"))
    for f in code_files(ex):
        a = split(os.path.join(ex, f))
        if len(a) == 1:
            continue
        b = dict((k, t) for k, t in split(os.path.join(sol, f)) if k != "out")
        with open(os.path.join(out, f), "w", encoding="utf-8") as w:
            w.write("".join(b[k] if k != "out" else t for k, t in a))
    return 0


def steps(ex):
    seen = []
    for f in code_files(ex):
        for k, _ in split(os.path.join(ex, f)):
            if k != "out" and k not in seen:
                seen.append(k)
                print(f"{k} {f}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    if len(sys.argv) >= 5 and sys.argv[1] == "fill":
        sys.exit(fill(sys.argv[2], sys.argv[3], sys.argv[4]))
    if len(sys.argv) >= 3 and sys.argv[1] == "steps":
        sys.exit(steps(sys.argv[2]))
    sys.exit(__doc__)
