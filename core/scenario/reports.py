"""Reports of a test run: the JSON of ``playground test --json`` and JUnit XML."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Sequence

from ..action import tool_name
from ..agent import Turn
from .results import RunResult, ScenarioResult

def _call_dict(turn: Turn) -> list[dict[str, Any]]:
    return [{"action": c.action, "tool_name": c.tool_name, "arguments": c.arguments, "status_code": c.status_code,
             "error": c.error_kind, "delivery": c.delivery} for c in turn.calls]


def report(results: Sequence[ScenarioResult]) -> dict[str, Any]:
    """The JSON report of ``playground test --json``."""
    scenarios = []
    for r in results:
        scenarios.append({
            "name": r.name, "file": r.file, "model": r.model, "http": r.http, "passed": r.passed, "pass_rate": r.pass_rate,
            "runs": len(r.runs), "passes": r.passes, "elapsed_ms": r.elapsed_ms,
            "failure": r.first_failure,
            "failures": [{"run": f.run, "turn": f.turn, "message": f.message} for f in r.failures],
            "turns": [{"turn": t.index, "user": t.user, "calls": _call_dict(t.turn), "reply": t.turn.reply,
                       "error": t.turn.error, "dead_air_ms": t.turn.dead_air_ms, "passed": t.passed,
                       "failures": t.failures}
                      for t in (r.runs[-1].turns if r.runs else [])],
        })
    failed = sum(not r.passed for r in results)
    return {"passed": failed == 0, "total": len(results), "failed": failed,
            "scenarios": scenarios}


def _transcript(run: RunResult) -> str:
    lines = []
    for t in run.turns:
        lines.append(f"turn {t.index} user: {t.user}")
        for c in t.turn.calls:
            outcome = c.status_code if c.status_code is not None else "no response"
            err = f" ({c.error_kind})" if c.error_kind else ""
            lines.append(f"  call {c.tool_name} {json.dumps(c.arguments, ensure_ascii=False, default=str)} -> "
                         f"{outcome}{err}")
        lines.append(f"  agent: {t.turn.reply}" if not t.turn.error else f"  error: {t.turn.error}")
        if t.turn.dead_air_ms is not None:
            lines.append(f"  dead air: {t.turn.dead_air_ms:.0f} ms")
        lines += [f"  FAIL {f}" for f in t.failures]
    if run.error:
        lines.append(f"error: {run.error}")
    return "\n".join(lines)


def to_junit(results: Sequence[ScenarioResult], suite_name: str = "playground scenarios") -> str:
    """JUnit XML: one <testsuite>, one <testcase> per scenario, a <failure> when any repeat failed."""
    failed = sum(not r.passed for r in results)
    total_s = sum(r.elapsed_ms for r in results) / 1000
    suites = ET.Element("testsuites", name=suite_name, tests=str(len(results)), failures=str(failed),
                        errors="0", time=f"{total_s:.3f}")
    suite = ET.SubElement(suites, "testsuite", name=suite_name, tests=str(len(results)), failures=str(failed),
                          errors="0", skipped="0", time=f"{total_s:.3f}",
                          timestamp=time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()))
    for r in results:
        classname = "scenarios." + (Path(r.file).stem if r.file else tool_name(r.name))
        case = ET.SubElement(suite, "testcase", name=r.name, classname=classname, time=f"{r.elapsed_ms / 1000:.3f}")
        if r.file:
            case.set("file", r.file)
        props = ET.SubElement(case, "properties")
        ET.SubElement(props, "property", name="model", value=r.model)
        ET.SubElement(props, "property", name="pass_rate", value=r.pass_rate)
        if not r.passed:
            message = r.first_failure or "failed"
            if len(r.runs) > 1:
                message += f" (passed {r.pass_rate} runs)"
            failure = ET.SubElement(case, "failure", message=message, type="ScenarioFailure")
            failure.text = "\n".join(f"run {f.run}: {f}" if len(r.runs) > 1 else str(f) for f in r.failures)
        if r.runs:
            out = ET.SubElement(case, "system-out")
            out.text = "\n\n".join(f"run {run.run} ({'pass' if run.passed else 'FAIL'}):\n{_transcript(run)}"
                                   for run in r.runs)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
