"""A JUnit XML file of one eval run, for CI systems that show test reports (``--junit PATH``).

One test case per article (an error is a JUnit error; worse than the previous run or the baseline
is a failure) and one per field (dropped beyond the threshold is a failure), plus the grounding
check (every returned quote at its offsets). Written with the standard library's ElementTree.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from evals.history import Comparison
from evals.records import RunResults
from evals.scoring import FIELDS

# Characters XML 1.0 cannot carry at all (an article or a model answer may hold them): one class, linear.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return NOT_XML.sub("\ufffd", text)


def _case(suite: ET.Element, classname: str, name: str, seconds: float = 0.0) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=classname, name=name, time=f"{seconds:.3f}")


def build_junit(results: RunResults, comparison: Comparison, *, threshold: float) -> ET.ElementTree:
    run, fields = results.run, results.fields
    suite = ET.Element("testsuite", name=f"newsfacts eval {run.suite or ''}".strip(),
                       timestamp=run.started_at)  # fmt: skip
    props = ET.SubElement(suite, "properties")
    for key in ("run_id", "model", "prompt_version", "git_commit"):
        if getattr(run, key) is not None:
            ET.SubElement(props, "property", name=key, value=str(getattr(run, key)))

    worse: dict[str, list[str]] = {}
    for c in comparison.worse_cases:
        why = f"error: {c.error}" if c.error else ", ".join(c.fields)
        worse.setdefault(c.case_id, []).append(
            f"macro {c.before:.2f} -> {c.after:.2f} vs {c.reference} run {c.reference_run_id} ({why})"
        )
    for case in results.cases:
        element = _case(suite, "articles", case.id, (case.latency_ms or 0) / 1000)
        error = case.error
        if error is not None:
            node = ET.SubElement(element, "error", type=error.label, message=error.message)
            node.text = error.message
        elif case.id in worse:
            node = ET.SubElement(element, "failure", type="worse", message="; ".join(worse[case.id]))
            node.text = "\n".join(worse[case.id])
        notes = case.scores.notes
        if notes:
            ET.SubElement(element, "system-out").text = "\n".join(notes)

    dropped: dict[str, list[str]] = {}
    for d in comparison.dropped:
        dropped.setdefault(d.field, []).append(
            f"{d.before:.3f} -> {d.after:.3f} vs {d.reference} run {d.reference_run_id} (threshold {threshold})"
        )
    for name in FIELDS:
        element = _case(suite, "fields", name)
        value = fields.get(name)
        ET.SubElement(element, "system-out").text = "null" if value is None else f"{value:.4f}"
        if name in dropped:
            node = ET.SubElement(element, "failure", type="dropped", message="; ".join(dropped[name]))
            node.text = "\n".join(dropped[name])

    grounding = fields.get("grounding_exact")
    element = _case(suite, "grounding", "every quote at its offsets")
    if grounding is not None and grounding < 1.0:
        ET.SubElement(element, "failure", type="defect",
                      message=f"grounding_exact {grounding:.3f} < 1.000: a returned quote is not at its offsets")  # fmt: skip

    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    suite.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
    suite.set("skipped", "0")
    suite.set("time", f"{sum(float(c.get('time', 0)) for c in cases):.3f}")
    root = ET.Element("testsuites")
    root.append(suite)
    for element in root.iter():
        element.text = _clean(element.text) if element.text else element.text
        for key, value in element.attrib.items():
            element.set(key, _clean(value))
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(results: RunResults, comparison: Comparison, path: str | Path, *, threshold: float) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    build_junit(results, comparison, threshold=threshold).write(path, encoding="utf-8", xml_declaration=True)
    return path
