"""Keep good conversations as regression scenarios; run them after every change."""

from pathlib import Path

import pandas as pd
import streamlit as st
import yaml

from core.action import tool_name
from core.errors import PlaygroundError
from core.scenario import (dump_scenario, load_scenario, parse_scenario, run_scenario, save_scenario,
                           recording_from_conversation, scenario_file_name, scenario_files,
                           scenario_from_conversation)
from ui import page, resources, state, traceview

page.setup()
st.title("Regression scenarios", anchor=False)
folder = Path(st.text_input("Scenarios folder", state.get(state.SCENARIOS_DIR), key="scenarios_folder"))
state.put(state.SCENARIOS_DIR, str(folder))

# -- save the current chat ---------------------------------------------------------------------------
st.subheader("Save the current chat as a scenario")
conv = state.get(state.CONVERSATION)
if not conv.turns:
    st.info("Chat with the test agent first; a conversation that works can be kept here as a scenario.")
else:
    name = st.text_input("Scenario name", "my conversation", key="scenario_name")
    marker = (len(conv.turns), len(conv.traces), name)
    if state.get(state.SCENARIO_DRAFT_OF) != marker:  # a new chat or name: fresh expectations from what happened
        try:
            draft = scenario_from_conversation(name, conv, str(Path(state.get(state.ACTIONS_DIR)).resolve()),
                                               model=state.get(state.MODEL_SPEC), mcp=state.get(state.MCP_SERVERS))
            st.session_state[state.SCENARIO_DRAFT] = dump_scenario(draft)
        except PlaygroundError as exc:
            st.error(str(exc))
        state.put(state.SCENARIO_DRAFT_OF, marker)
    st.caption("Expectations are pre-filled from what happened; edit them before saving "
               "(action, arguments / arguments_exact / arguments_regex, status, error, reply_contains / "
               "reply_regex, max_calls).")
    text = st.text_area("Scenario (YAML)", key=state.SCENARIO_DRAFT, height=320)
    overwrite = st.checkbox("Overwrite if the file exists", key="scenario_overwrite")
    record = st.checkbox("Record the model turns and HTTP exchanges", value=True, key="scenario_record",
                         help="Saved under recording: at the end of the file, secrets masked, so the scenario can "
                              "run with --model replay --http replay: no model, no network")
    if st.button("Save scenario", type="primary", icon=":material/save:"):
        try:
            data = yaml.safe_load(text)
            path = folder / f"{tool_name(name)}.yaml" if overwrite else scenario_file_name(name, folder)
            scenario = parse_scenario(data, source=folder / "draft.yaml")
            if record:
                scenario.recording = recording_from_conversation(conv, model=state.get(state.MODEL_SPEC),
                                                                 demo_base=resources.demo_api()["url"])
            saved = save_scenario(scenario, path, overwrite=overwrite)
            st.success(f"Saved {saved}")
        except yaml.YAMLError as exc:
            st.error(f"The YAML does not parse: {str(exc).splitlines()[0]}; fix it and save again.")
        except PlaygroundError as exc:
            st.error(str(exc))

# -- run ---------------------------------------------------------------------------------------------
st.subheader("Run scenarios")
try:
    files = scenario_files([folder])
except PlaygroundError:  # no folder, or no scenario in it yet
    files = []
if not files:
    st.caption("No scenario files in this folder yet.")
    st.stop()
chosen = st.multiselect("Scenarios", files, default=files, format_func=lambda p: Path(p).name, key="scenario_pick")
results = state.get(state.SCENARIO_RESULTS)
passed = state.get(state.SCENARIO_PASSED)
if st.button(f"Run {len(chosen)} scenario(s)", type="primary", icon=":material/play_arrow:", disabled=not chosen):
    injected = st.session_state.get(state.MODEL_OVERRIDE)
    progress = st.progress(0.0)
    for i, path in enumerate(chosen):
        key = str(path)
        try:
            result = run_scenario(load_scenario(path), loop=resources.loop(), executor=resources.executor(),
                                  rebase_demo_to=resources.demo_api()["url"],
                                  **({"model": injected} if injected is not None else {}))
        except PlaygroundError as exc:
            results[key] = str(exc)
        else:
            results[key] = result
            if result.passed:
                passed[key] = result
        progress.progress((i + 1) / len(chosen))
    progress.empty()

if results:
    rows = []
    for key, result in results.items():
        if isinstance(result, str):
            rows.append({"scenario": Path(key).name, "result": "error", "pass rate": "", "first failure": result})
        else:
            rows.append({"scenario": result.name, "result": "pass" if result.passed else "fail",
                         "pass rate": result.pass_rate, "first failure": result.first_failure or ""})
    table = pd.DataFrame(rows)
    failed = int((table["result"] != "pass").sum())
    (st.error if failed else st.success)(f"{len(rows) - failed} passed, {failed} failed")
    st.dataframe(table, hide_index=True, width="stretch")

    failing = [k for k, r in results.items() if not isinstance(r, str) and not r.passed]
    if failing:
        key = st.selectbox("Open a failure", failing, format_func=lambda k: results[k].name, key="scenario_open")
        result = results[key]
        run = next(r for r in result.runs if not r.passed)
        before = passed.get(key)
        for tr in run.turns:
            st.markdown(f"**Turn {tr.index}** · _{tr.user}_ " + (":green[:material/check_circle:]" if not tr.failures else ":red[:material/cancel:]"))
            for failure in tr.failures:
                st.error(failure)
            left, right = st.columns(2)
            with left.container(border=True):
                st.caption("Expected")
                st.json(tr.expect.model_dump(exclude_none=True), expanded=True)
                if before is not None and tr.index <= len(before.runs[0].turns):
                    for trace in before.runs[0].turns[tr.index - 1].traces:
                        st.caption("Trace from the last passing run")
                        traceview.detail(trace, key=f"before_{trace.id}")
            with right.container(border=True):
                st.caption("Actual")
                for call in tr.turn.calls:
                    st.markdown(f"`{call.tool_name}` → {call.status_code or call.error_kind}")
                st.markdown(tr.turn.reply or tr.turn.error or "_(no reply)_")
                for trace in tr.traces:
                    traceview.detail(trace, key=f"after_{trace.id}")
