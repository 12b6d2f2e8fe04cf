"""Test with static values: the first step of the testing guide, before the agent."""

import streamlit as st

from ui import page, resources, state, traceview

page.setup()
st.title("Test the endpoint with static values", anchor=False)
st.caption("Verify the endpoint is reachable, authentication works and the request format is right, "
           "before involving the agent.")
action_set = resources.actions()
if not action_set.actions:
    st.warning("No actions in the actions folder. Create one on the Actions page.")
    st.stop()
paths = list(action_set.actions)
path = st.selectbox("Action", paths, format_func=lambda p: f"{action_set.actions[p].name}  ({p})", key="test_action")
action = action_set.actions[path]
st.caption(f"`{action.method} {action.url}` · auth: {action.auth.type} · timeout {action.timeout_s:g} s")

with st.form("test_form"):
    values: dict[str, str] = {}
    if action.variables:
        st.markdown("**Variables** (pre-filled from their examples)")
        cols = st.columns(2)
        for i, var in enumerate(action.variables):
            values[var.name] = cols[i % 2].text_input(
                f"{var.name} · {var.type}{' · required' if var.required else ''}",
                "" if var.example is None else str(var.example), help=var.description or None,
                key=f"test_var_{path}_{var.name}")
    runtime = dict(state.get(state.RUNTIME))
    with st.expander("Runtime variables"):
        cols = st.columns(2)
        for i, name in enumerate(runtime):
            runtime[name] = cols[i % 2].text_input(name, runtime[name], key=f"test_rt_{name}")
    sent = st.form_submit_button("Send", type="primary", icon=":material/send:")

if sent:
    state.put(state.RUNTIME, runtime)
    typed = {k: v for k, v in values.items() if v != ""}
    trace = resources.executor().execute(resources.runnable([action])[0], typed, runtime)
    state.get(state.SEND_HISTORY).append(trace)

history = state.get(state.SEND_HISTORY)
if history:
    with st.container(border=True):
        traceview.detail(history[-1], key="latest", action=action_set.actions.get(path))
    if len(history) > 1:
        st.subheader("History")
        for trace in reversed(history[:-1]):
            with st.expander(f"{trace.started_at:%H:%M:%S} · {trace.summary()}"):
                traceview.detail(trace, key=f"history-{trace.id}")
