"""Chat with the test agent; every call in the debug sidebar."""

import streamlit as st

from core.errors import PlaygroundError
from ui import page, resources, state, view
from core.agent import load_conversation
from core.session import uses_demo_api
from ui.chat import build_agent, debug_panels, new_conversation, run_turn

page.setup()
st.title("💬 Chat with the test agent")
action_set = resources.actions()
by_tool = action_set.by_tool()
for path, error in action_set.errors.items():
    st.error(error)

enabled = state.get(state.ENABLED)
if enabled is None or not set(enabled) <= set(by_tool):
    enabled = [t for t in (enabled or by_tool) if t in by_tool]
    state.put(state.ENABLED, enabled)

top = st.columns([3, 1, 1, 1], vertical_alignment="bottom")
with top[0].popover(f"Actions enabled: {len(enabled)} of {len(by_tool)}", width="stretch"):
    chosen = st.multiselect("Actions the agent may call", options=list(by_tool), default=enabled,
                            format_func=lambda t: by_tool[t].name, key="enabled_widget")
    state.put(state.ENABLED, chosen)
    enabled = chosen
conv = state.get(state.CONVERSATION)
if top[1].button("New conversation", icon="🧹", width="stretch"):
    conv = new_conversation()
export_slot, rerun_slot = top[2].empty(), top[3].empty()  # filled at the end, when this run's turn is in
with st.expander("Load an exported conversation (to replay it against changed actions)"):
    upload = st.file_uploader("conversation.json", type=["json"], key="conversation_upload")
    if upload is not None and st.button("Load it", key="conversation_load"):
        try:
            conv = load_conversation(upload.getvalue())
            state.put(state.CONVERSATION, conv)
            state.put(state.RERUN, None)
        except PlaygroundError as exc:
            st.error(str(exc))
try:
    model_name = resources.model().name
except PlaygroundError as exc:  # e.g. OPENAI_API_KEY not set: say the fix, keep the page usable
    model_name = None
    st.error(f"{exc}. Change the model in Settings.")
demo = resources.demo_api()
uses_demo = uses_demo_api(list(by_tool.values()))
st.caption(f"Model: **{model_name or 'not ready'}** · change it in Settings."
           + (f" The demo API answers the sample actions at {demo['url']}." if uses_demo and not demo["error"] else ""))
if uses_demo and demo["error"]:  # e.g. another program holds port 8765: the sample actions would get its answers
    st.warning(f"{demo['error']}, then restart the app. Until then the sample actions fail.", icon=":material/warning:")

traces_by_id = {t.id: t for t in conv.traces}
for turn in conv.turns:
    with st.chat_message("user"):
        st.markdown(turn.user)
    with st.chat_message("assistant"):
        for call in turn.calls:
            view.call_status(call, traces_by_id.get(call.trace_id))
        if turn.reply:
            st.markdown(turn.reply)
        if turn.error:
            st.error(turn.error)

prompt = st.chat_input("Message the test agent", disabled=model_name is None)
if not conv.turns and not prompt:
    st.info("Try: *where is my order ORD-10042?* · *is PROD-12345 in stock?* · *look up customer CUST-1001*", icon="👋")

if prompt:
    with st.chat_message("user"):
        st.markdown(prompt)
    with st.chat_message("assistant"):
        run_turn(build_agent([by_tool[t] for t in enabled]), conv, prompt)

export_slot.download_button("Export", conv.model_dump_json(indent=2), file_name="conversation.json",
                            mime="application/json", icon="📥", width="stretch", disabled=not conv.turns)
rerun_slot.page_link("pages/rerun.py", label="Tweak & rerun", icon="🔁", disabled=not conv.turns)

with st.sidebar:
    st.header("🐞 Debug")
    traces = state.get(state.CONVERSATION).traces
    if not traces:
        st.caption("Every call the agent makes shows here: request, status, latency, response and hints.")
    view.latency_chart(traces)
    debug_panels(traces, by_tool)
