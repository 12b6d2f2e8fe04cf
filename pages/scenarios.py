"""Keep good conversations as regression scenarios; run them, one or all, after every change."""

from pathlib import Path

import streamlit as st
import yaml

from core.action import tool_name
from core.errors import PlaygroundError
from core.scenario import (ScenarioResult, dump_scenario, parse_scenario, recording_from_conversation, relative_to,
                           save_scenario, scenario_file_name, scenario_files, scenario_from_conversation)
from ui import page, resources, scenarios, state, traceview

page.setup()
st.title("Regression scenarios", anchor=False)
folder = Path(st.text_input("Scenarios folder", state.get(state.SCENARIOS_DIR), key="scenarios_folder"))
state.put(state.SCENARIOS_DIR, str(folder))
if notice := state.get(state.SCENARIO_NOTICE):
    st.toast(notice, icon=":material/delete:")
    state.put(state.SCENARIO_NOTICE, None)

# -- save the current chat ---------------------------------------------------------------------------
conv = state.get(state.CONVERSATION)
with st.expander("Save the current chat as a scenario", icon=":material/add:", expanded=bool(conv.turns)):
    if not conv.turns:
        st.info("Chat with the test agent first; a conversation that works can be kept here as a scenario.",
                icon=":material/chat:")
    else:
        name = st.text_input("Scenario name", "my conversation", key="scenario_name")
        marker = (len(conv.turns), len(conv.traces), name, str(folder))
        if state.get(state.SCENARIO_DRAFT_OF) != marker:  # a new chat, name or folder: fresh expectations
            try:
                draft = scenario_from_conversation(name, conv, str(resources.actions_folder().resolve()),
                                                   model=state.get(state.MODEL_SPEC), mcp=state.get(state.MCP_SERVERS))
                # paths as they will be saved: relative to the scenario file, so it works on another machine
                st.session_state[state.SCENARIO_DRAFT] = dump_scenario(relative_to(draft, folder))
            except PlaygroundError as exc:
                st.error(str(exc))
            state.put(state.SCENARIO_DRAFT_OF, marker)
        st.caption("Expectations are pre-filled from what happened; edit them before saving (action, arguments / "
                   "arguments_exact / arguments_regex, status, error, reply_contains / reply_regex, max_calls). "
                   "Reply text is expected only where it repeats what the caller said.")
        text = st.text_area("Scenario (YAML)", key=state.SCENARIO_DRAFT, height=320)
        overwrite = st.checkbox("Overwrite if the file exists", key="scenario_overwrite")
        record = st.checkbox("Record the model turns and HTTP exchanges", value=True, key="scenario_record",
                             help="Saved under recording: at the end of the file, secrets masked, so the scenario "
                                  "can run with --model replay --http replay: no model, no network")
        if st.button("Save scenario", type="primary", icon=":material/save:"):
            try:
                data = yaml.safe_load(text)
                path = folder / f"{tool_name(name)}.yaml" if overwrite else scenario_file_name(name, folder)
                scenario = parse_scenario(data, source=folder / "draft.yaml")
                if record:
                    scenario.recording = recording_from_conversation(conv, model=state.get(state.MODEL_SPEC),
                                                                     demo_base=resources.demo_api()["url"])
                saved = save_scenario(scenario, path, overwrite=overwrite)
                scenarios.results().pop(str(saved), None)
                st.success(f"Saved {saved}", icon=":material/check_circle:")
            except yaml.YAMLError as exc:
                st.error(f"The YAML does not parse: {str(exc).splitlines()[0]}; fix it and save again.")
            except PlaygroundError as exc:
                st.error(str(exc))

# -- the scenarios of the folder ------------------------------------------------------------------------
st.subheader("Scenarios", anchor=False)
try:
    files = [str(p) for p in scenario_files([folder])]
except PlaygroundError:  # no folder, or no scenario in it yet
    files = []
if not files:
    st.caption(f"No scenario files in `{folder}` yet." if folder.is_dir() else
               f"The folder `{folder}` does not exist: check the path, or save a chat as a scenario to create it.")
    st.stop()

results = scenarios.results()
for gone in [k for k in results if k not in files]:  # deleted or in another folder: not counted
    results.pop(gone)
top = st.container(horizontal=True, vertical_alignment="center")
if top.button(f"Run all ({len(files)})", type="primary", icon=":material/play_arrow:", key="scenario_run_all"):
    scenarios.run_all(files)
ran = [results[f] for f in files if f in results]
if ran:
    failed = sum(isinstance(r, str) or not r.passed for r in ran)
    text = f"{len(ran) - failed} passed, {failed} failed" + (f", {len(files) - len(ran)} not run" if len(ran) < len(files) else "")
    top.markdown(f":{'red' if failed else 'green'}[**{text}**]")

for path in sorted(files, key=lambda f: (scenarios.rank(f), f)):  # failures first
    outcome = results.get(path)
    name = outcome.name if isinstance(outcome, ScenarioResult) else Path(path).stem
    with st.container(border=True, key=f"scenario-{Path(path).stem}"):
        row = st.container(horizontal=True, vertical_alignment="center")
        row.markdown(f"{scenarios.badge(path)} **{name}** `{Path(path).name}`")
        row.space("stretch")
        if row.button("Run", icon=":material/play_arrow:", key=f"scenario-run-{path}"):
            outcome = scenarios.run(path)
            st.rerun()  # the list is ordered by result
        row.button("Open", icon=":material/open_in_full:", key=f"scenario-open-{path}", type="tertiary",
                   on_click=scenarios.open_scenario, args=(path,), help="Its turns, expected and actual, and its YAML")
        with row.popover("Delete…", icon=":material/delete:", type="tertiary"):
            st.warning(f"Delete `{Path(path).name}`? This cannot be undone.", icon=":material/warning:")
            st.button("Yes, delete it", type="primary", key=f"scenario-delete-{path}", on_click=scenarios.delete,
                      args=(path,))
        if isinstance(outcome, str):
            st.error(outcome, icon=":material/error:")
        elif outcome is not None and not outcome.passed:
            st.caption(f":red[{outcome.first_failure}]")

# -- the opened scenario -------------------------------------------------------------------------------
opened = state.get(state.SCENARIO_OPEN)
if opened not in files:
    st.stop()
st.divider()
head = st.container(horizontal=True, vertical_alignment="center")
head.subheader(f"{Path(opened).name}", anchor=False)
head.button("Close", icon=":material/close:", key="scenario-close", type="tertiary",
            on_click=state.put, args=(state.SCENARIO_OPEN, None))
result_tab, yaml_tab = st.tabs(["Turns", "Edit YAML"])
with yaml_tab:
    st.text_area("Scenario (YAML)", key=state.SCENARIO_EDIT, height=360, label_visibility="collapsed")
    if st.button("Save changes", type="primary", icon=":material/save:", key="scenario-save-edit"):
        if problem := scenarios.save_edit(opened):
            st.error(problem)
with result_tab:
    outcome = results.get(opened)
    if not isinstance(outcome, ScenarioResult):
        st.caption("Run it to see each turn, expected and actual.")
        st.stop()
    run = next((r for r in outcome.runs if not r.passed), outcome.runs[-1])
    before = state.get(state.SCENARIO_PASSED).get(opened)
    for tr in run.turns:
        mark = ":green[:material/check_circle:]" if not tr.failures else ":red[:material/cancel:]"
        st.markdown(f"{mark} **Turn {tr.index}** · _{tr.user}_")
        for failure in tr.failures:
            st.error(failure)
        left, right = st.columns(2)
        with left.container(border=True):
            st.caption("Expected")
            st.json(tr.expect.model_dump(exclude_none=True), expanded=True)
            if tr.failures and before is not None and tr.index <= len(before.runs[0].turns):
                for trace in before.runs[0].turns[tr.index - 1].traces:
                    st.caption("Trace from the last passing run")
                    traceview.detail(trace, key=f"before-{trace.id}")
        with right.container(border=True):
            st.caption("Actual")
            for call in tr.turn.calls:
                st.markdown(f"`{call.tool_name}` → {call.status_code or call.error_kind}")
            st.markdown(tr.turn.reply or tr.turn.error or "_(no reply)_")
            if tr.failures:
                for trace in tr.traces:
                    traceview.detail(trace, key=f"after-{trace.id}")
        if tr.failures:
            st.button("Accept the actual result as the new expectation", icon=":material/published_with_changes:",
                      key=f"scenario-accept-{tr.index}", on_click=scenarios.accept, args=(opened, tr),
                      help="Rewrites this turn's expect: in the file from what happened, then runs the scenario again")
