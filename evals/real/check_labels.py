"""Check labels in a folder: every case loads, evidence is verbatim, source_url and language set.

uv run --locked python evals/real/check_labels.py evals/real/check
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from evals.labels import load_case  # noqa: E402

bad = 0
folder = Path(sys.argv[1])
for label_path in sorted(folder.glob("*.json")):
    try:
        case = load_case(label_path)
    except Exception as exc:  # report and continue
        print(f"FAIL {label_path.name}: {exc}")
        bad += 1
        continue
    missing = [e for e in case.label.evidence() if e not in case.text]
    problems = []
    if missing:
        problems.append(f"evidence not verbatim: {missing}")
    if not case.label.source_url:
        problems.append("no source_url")
    names = [p.name for p in case.label.parties]
    if len(names) != len(set(names)):
        problems.append("duplicate party names")
    if problems:
        bad += 1
        print(f"FAIL {label_path.name}: {'; '.join(problems)}")
    else:
        print(
            f"ok   {label_path.name} ({case.label.language}, {len(case.text)} chars, "
            f"{len(case.label.casualties)} casualties, {len(case.label.denials)} denials)"
        )
sys.exit(1 if bad else 0)
