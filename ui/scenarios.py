"""The Scenarios page's actions: run one scenario, open, edit, delete it, accept what actually happened."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.errors import PlaygroundError
from core.scenario import (ScenarioResult, TurnResult, accept_actual, load_scenario, parse_scenario_text,
                           run_scenario, save_scenario)
from core.store import atomic_write

from . import resources, state

Outcome = ScenarioResult | str  # a result, or why the scenario could not run


def results() -> dict[str, Outcome]:
    return state.get(state.SCENARIO_RESULTS)


def run(path: str) -> Outcome:
    """Run one scenario file now (with the chat's model when a test injected one) and keep its result."""
    injected = st.session_state.get(state.MODEL_OVERRIDE)
    try:
        outcome: Outcome = run_scenario(load_scenario(path), loop=resources.loop(), executor=resources.executor(),
                                        rebase_demo_to=resources.demo_api()["url"],
                                        **({"model": injected} if injected is not None else {}))
    except PlaygroundError as exc:
        outcome = str(exc)
    results()[path] = outcome
    if isinstance(outcome, ScenarioResult) and outcome.passed:
        state.get(state.SCENARIO_PASSED)[path] = outcome
    return outcome


def run_all(paths: list[str]) -> None:
    """Run every scenario listed; results of an earlier run all (or of files gone since) do not stay."""
    results().clear()
    progress = st.progress(0.0, text="Running scenarios…")
    for i, path in enumerate(paths):
        run(path)
        progress.progress((i + 1) / len(paths), text=f"Ran {i + 1} of {len(paths)}")
    progress.empty()


def rank(path: str) -> int:
    """Failures first, then errors, scenarios not run yet, passes."""
    outcome = results().get(path)
    if isinstance(outcome, str):
        return 1
    if outcome is None:
        return 2
    return 3 if outcome.passed else 0


def badge(path: str) -> str:
    outcome = results().get(path)
    if outcome is None:
        return ":gray-badge[not run]"
    if isinstance(outcome, str):
        return ":red-badge[:material/error: error]"
    if outcome.passed:
        return f":green-badge[:material/check: pass{'' if len(outcome.runs) == 1 else ' ' + outcome.pass_rate}]"
    return f":red-badge[:material/close: fail{'' if len(outcome.runs) == 1 else ' ' + outcome.pass_rate}]"


def open_scenario(path: str) -> None:
    state.put(state.SCENARIO_OPEN, path)
    st.session_state[state.SCENARIO_EDIT] = Path(path).read_text(encoding="utf-8")


def delete(path: str) -> None:
    Path(path).unlink(missing_ok=True)
    results().pop(path, None)
    state.get(state.SCENARIO_PASSED).pop(path, None)
    if state.get(state.SCENARIO_OPEN) == path:
        state.put(state.SCENARIO_OPEN, None)
    state.put(state.SCENARIO_NOTICE, f"Deleted {Path(path).name}")


def save_edit(path: str) -> str | None:
    """Write the edited YAML as typed (comments kept) when it is a valid scenario; else the reason."""
    text = st.session_state.get(state.SCENARIO_EDIT, "")
    try:
        parse_scenario_text(text, path)
    except PlaygroundError as exc:
        return f"Not saved: {exc}"
    atomic_write(path, text)
    results().pop(path, None)  # its last result was for the old content
    st.toast(f"Saved {Path(path).name}", icon=":material/check_circle:")
    return None


def accept(path: str, tr: TurnResult) -> None:
    """Make what actually happened in one turn its expectation, save the file, and run the scenario again."""
    scenario = accept_actual(load_scenario(path), tr.index, tr.turn, tr.traces)
    save_scenario(scenario, path, overwrite=True)
    st.session_state[state.SCENARIO_EDIT] = Path(path).read_text(encoding="utf-8")
    run(path)
    st.toast(f"Turn {tr.index} now expects what happened", icon=":material/check_circle:")
