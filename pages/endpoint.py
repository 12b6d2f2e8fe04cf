"""Test with static values: the first step of the testing guide, before the agent. Then a one-off
request edited from the rendered one (URL, query, headers, body), sent without touching the file."""

from pathlib import Path

import streamlit as st

from core.errors import PlaygroundError
from core.probe import probe_action, probe_errors, probe_from, saved_probe
from core.schema import value_errors
from core.store import save_action
from ui import inputs, page, probe, resources, state, traceview
from ui.traceview import labels

page.setup()
st.title("Test the endpoint with static values", anchor=False)
st.caption("Verify the endpoint is reachable, authentication works and the request format is right, "
           "before involving the agent.")
action_set = resources.actions()
if not action_set.actions:
    st.warning("No actions in the actions folder. Create one on the Actions page.", icon=":material/warning:")
    st.stop()
folder = resources.actions_folder()


def relative(p: str) -> str:
    try:
        return str(Path(p).resolve().relative_to(folder.resolve()))
    except ValueError:
        return p


paths = list(action_set.actions)
path = st.selectbox("Action", paths, format_func=lambda p: f"{action_set.actions[p].name} · {relative(p)}",
                    key="test_action")
action = action_set.actions[path]
st.caption(f"`{action.method} {action.url}` · auth: {action.auth.type} · timeout {action.timeout_s:g} s")


def send(act, values, runtime, *, one_off: bool = False) -> None:
    trace = resources.executor().execute(act, values, runtime)
    if one_off:
        trace.action += " (one-off request)"
    state.get(state.SEND_HISTORY).append(trace)
    state.put(state.SEND_SHOWN, None)


with st.form("test_form"):
    values = {}
    if action.variables:
        st.markdown("**Variables** (pre-filled from their examples)")
        cols = st.columns(2)
        for i, var in enumerate(action.variables):
            with cols[i % 2]:
                values[var.name] = inputs.value_input(var, key=f"test_var_{path}_{var.name}")
    runtime = dict(state.get(state.RUNTIME))
    with st.expander("Runtime variables"):
        cols = st.columns(2)
        for i, name in enumerate(runtime):
            runtime[name] = cols[i % 2].text_input(name, runtime[name], key=f"test_rt_{name}")
    buttons = st.container(horizontal=True)
    sent = buttons.form_submit_button("Send", type="primary", icon=":material/send:")
    edit = buttons.form_submit_button("Edit the request", icon=":material/edit:",
                                      help="Start a one-off request from the one these values render: change its "
                                           "URL, query, headers or body without changing the action file")

if sent or edit:
    state.put(state.RUNTIME, runtime)
    given = {k: v for k, v in values.items() if v not in (None, "")}
    errors = value_errors(action, given)
    if errors:  # every value that needs fixing, at once, each with what was typed
        st.error("Fix these values, then send again:\n" + "\n".join(f"- {e}" for e in errors.values()),
                 icon=":material/error:")
    elif sent:
        send(resources.runnable([action])[0], given, runtime)
    else:
        try:
            probe.start(path, probe_from(resources.runnable([action])[0], given, runtime,
                                         resources.executor().resolver))
        except PlaygroundError as exc:
            st.error(f"The request cannot be built from these values: {exc}", icon=":material/error:")

# -- the one-off request ------------------------------------------------------------------
current = state.get(state.PROBE)
if current is not None and current["path"] == path:
    with st.container(border=True):
        st.subheader("One-off request", anchor=False)
        auth = f"its {action.auth.type} auth is added when it is sent" if action.auth.type != "none" else "no auth"
        st.caption(f"Starts from the request the values above render ({auth}). The action file does not change "
                   "unless you save this request into it.")
        edited = probe.editor()
        problems = probe_errors(action, edited)
        if problems:
            st.error("Fix these fields to send:\n" + "\n".join(f"- {e}" for e in problems.values()),
                     icon=":material/error:")
        row = st.container(horizontal=True)
        if row.button("Send this request", type="primary", icon=":material/send:", disabled=bool(problems),
                      key="probe_send"):
            send(probe_action(resources.runnable([action])[0], edited), {}, state.get(state.RUNTIME), one_off=True)
        if row.button("Save into the action…", icon=":material/save:", disabled=bool(problems), key="probe_save_open",
                      help="Write what you edited into the action file (fields you left alone keep their "
                           "{{placeholders}})"):
            state.put(state.PROBE_SAVE, True)
        row.button("Discard", icon=":material/close:", key="probe_discard", on_click=probe.discard)
        if state.get(state.PROBE_SAVE) and not problems:
            try:
                saved, lost = saved_probe(action, current["start"], edited)
            except PlaygroundError as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                changed = [f for f in ("method", "url", "headers", "query", "body")
                           if getattr(saved, f) != getattr(action, f)]
                st.warning(f"Save into `{relative(path)}`: " + (", ".join(changed) or "nothing") + " changes."
                           + (" These placeholders are replaced by the values you typed, so the agent can no "
                              "longer fill them: " + ", ".join(f"`{{{{{n}}}}}`" for n in lost) + "." if lost else ""),
                           icon=":material/save:")
                confirm = st.container(horizontal=True)
                if confirm.button("Save to file", type="primary", key="probe_save_confirm", disabled=not changed):
                    save_action(saved, path)
                    state.get(state.OVERRIDES).pop(path, None)
                    probe.discard()
                    st.toast(f"Saved {relative(path)}", icon=":material/check_circle:")
                    st.rerun()
                confirm.button("Cancel", key="probe_save_cancel", on_click=state.put, args=(state.PROBE_SAVE, False))

# -- what came back ------------------------------------------------------------------------
history = state.get(state.SEND_HISTORY)
if history:
    by_id = {t.id: t for t in history}
    shown = by_id.get(state.get(state.SEND_SHOWN)) or history[-1]
    with st.container(border=True):
        traceview.detail(shown, key=f"send-{shown.id}", action=action if shown.tool_name == action.tool_name else None)
    if len(history) > 1:
        st.subheader("History", anchor=False)
        for i in range(len(history) - 1, -1, -1):
            t = history[i]
            st.button(f"{t.started_at:%H:%M:%S} · {t.action} · {labels.row_label(t, i + 1)}", key=f"row-send-{t.id}",
                      type="tertiary", on_click=state.put, args=(state.SEND_SHOWN, t.id),
                      help=t.summary(), disabled=t.id == shown.id)
