"""Time budgets and workshop schedules, read from the pages themselves.

Every lesson page (and the concepts page) states its time budget in an
admonition:

    .. admonition:: Time

       Teaching 20 min · exercise 30 min.

This script reads those lines from lessons/*.rst and writes, into
lessons/_figures/ (generated, not in git):
  budgets.csv             one row per page: teaching and exercise minutes
  schedule-half-day.csv   the schedules of the instructors page, with the
  schedule-full-day.csv   minutes of each item and a running total, so a
  schedule-two-days.csv   schedule always adds up to the pages' own budgets
A page without a Time admonition (or not written yet) appears with "?" and
its minutes are left out of the totals, which then say so.
"""
import csv
import re

LESSONS = DATA.parent
BREAK = 15  # minutes, a coffee break
LUNCH = 45

TIME_RE = re.compile(r"^\.\. admonition:: Time\s*$")
TEACH_RE = re.compile(r"teaching\D{0,20}?(\d+)\s*min", re.I)
EXERCISE_RE = re.compile(r"(?:exercise|worksheet)s?\D{0,20}?(\d+)\s*min", re.I)


def budget(page):
    """(title, teaching, exercise) of lessons/PAGE.rst; minutes are None when not stated."""
    path = LESSONS / f"{page}.rst"
    if not path.exists():
        return None, None, None
    lines = path.read_text().splitlines()
    title = lines[0].strip() if lines else page
    for k, line in enumerate(lines):
        if TIME_RE.match(line):
            body = " ".join(x.strip() for x in lines[k + 1:k + 6] if x.strip())
            t, e = TEACH_RE.search(body), EXERCISE_RE.search(body)
            return title, int(t.group(1)) if t else None, int(e.group(1)) if e else None
    return title, None, None


pages = ["concepts"] + sorted(p.stem for p in LESSONS.glob("[0-9][0-9]-*.rst"))
with open(FIGURES / "budgets.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["page", "title", "teaching (min)", "exercise (min)"])
    for p in pages:
        title, t, e = budget(p)
        w.writerow([p, title, "?" if t is None else t, "?" if e is None else e])


HOW = {"full": "teach + exercise", "demo": "teach; exercise as homework"}


def hm(minutes):
    return f"{minutes // 60}:{minutes % 60:02d}"


def schedule(name, plan):
    """plan: ("PAGE", "full"|"demo") items, or ("break"|"lunch"|"day 2", None)."""
    total, missing = 0, []
    out = []
    for page, mode in plan:
        if page in ("break", "lunch"):
            m = BREAK if page == "break" else LUNCH
            total += m
            out.append([page, "", m, hm(total)])
            continue
        if page.startswith("day "):
            out.append([f"**{page}**", "", "", ""])
            total = 0
            continue
        title, t, e = budget(page)
        if title is None:
            out.append([f"{page} (page not written yet)", HOW[mode], "?", ""])
            missing.append(page)
            continue
        if t is None or (mode == "full" and e is None):
            out.append([f":doc:`{page}`", HOW[mode],
                        "?", ""])
            missing.append(page)
            continue
        m = t + (e if mode == "full" else 0)
        total += m
        out.append([f":doc:`{page}`", HOW[mode],
                    m, hm(total)])
    with open(FIGURES / f"schedule-{name}.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["what", "how", "minutes", "clock (h:mm)"])
        w.writerows(out)
        if missing:
            w.writerow([f"not counted (no time budget on the page yet): {', '.join(missing)}",
                        "", "", ""])


schedule("half-day", [("concepts", "demo"), ("02-hello", "full"), ("03-send-recv", "full"),
                      ("break", None), ("04-deadlock", "full"), ("05-collectives", "demo")])
schedule("full-day", [("concepts", "demo"), ("02-hello", "full"), ("03-send-recv", "full"),
                      ("break", None), ("04-deadlock", "full"), ("05-collectives", "full"),
                      ("lunch", None), ("16-debugging", "full"), ("break", None),
                      ("08-heat", "demo")])
schedule("two-days", [("day 1", None), ("concepts", "full"), ("00-environment", "demo"),
                      ("02-hello", "full"), ("break", None), ("03-send-recv", "full"),
                      ("04-deadlock", "full"), ("lunch", None), ("05-collectives", "full"),
                      ("break", None), ("16-debugging", "full"),
                      ("day 2", None), ("06-fft", "demo"), ("08-heat", "full"), ("break", None),
                      ("17-scaling", "full"), ("lunch", None), ("11-snes", "full"), ("break", None),
                      ("12-grid", "demo"), ("13-wave", "demo"), ("15-gwas", "demo")])
