"""Chat with the test agent; every call listed in the debug sidebar, each one opened in full on a click."""

import streamlit as st

from core.agent import load_conversation
from core.errors import PlaygroundError
from core.session import uses_demo_api
from ui import drafts, page, resources, state, traceview
from ui.chat import build_agent, new_conversation, run_turn, stale_notice, turn_body
from ui.servers import mcp_caption

page.setup()
st.title("Chat with the test agent", anchor=False)
action_set = resources.actions()
by_tool = action_set.by_tool()
for path, error in action_set.errors.items():
    st.error(error)

enabled = state.get(state.ENABLED)
if enabled is None or not set(enabled) <= set(by_tool):
    enabled = [t for t in (enabled or by_tool) if t in by_tool]
    state.put(state.ENABLED, enabled)

conv = state.get(state.CONVERSATION)
drafts.banner("chat")
stale_notice(conv, by_tool, key="chat")  # the actions folder changed under this chat
toolbar = st.container(horizontal=True, vertical_alignment="center", key="chat-toolbar")
with toolbar.popover(f"Actions: {len(enabled)} of {len(by_tool)}", icon=":material/extension:",
                     help="Choose the actions the agent may call"):
    chosen = st.multiselect("Actions the agent may call", options=list(by_tool), default=enabled,
                            format_func=lambda t: by_tool[t].name, key="enabled_widget")
    state.put(state.ENABLED, chosen)
    enabled = chosen
if toolbar.button("New conversation", icon=":material/add_comment:", help="Clear the chat and its calls"):
    conv = new_conversation()
export_slot, rerun_slot = toolbar.empty(), toolbar.empty()  # filled at the end, when this run's turn is in
with st.expander("Load an exported conversation (to replay it against changed actions)",
                 icon=":material/upload_file:"):
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
    st.error(str(exc), icon=":material/error:")  # its fix names the Settings page
demo = resources.demo_api()
uses_demo = uses_demo_api(list(by_tool.values()))
st.caption(f"Model: **{model_name or 'not ready'}** · change it in Settings."
           + (f" The demo API answers the sample actions at `{demo['url']}`." if uses_demo and not demo["error"] else "")
           + mcp_caption())
if uses_demo and demo["error"]:  # e.g. another program holds port 8765: the sample actions would get its answers
    st.warning(f"{demo['error']}, then restart the app. Until then the sample actions fail.", icon=":material/warning:")

traces_by_id = {t.id: t for t in conv.traces}
for turn in conv.turns:
    with st.chat_message("user"):
        st.markdown(turn.user)
    with st.chat_message("assistant"):
        turn_body(turn, traces_by_id)

prompt = st.chat_input("Message the test agent", disabled=model_name is None)
if not conv.turns and not prompt:
    st.info("Try: *where is my order ORD-10042?* · *is PROD-12345 in stock?* · *look up customer CUST-1001*",
            icon=":material/lightbulb:")

if prompt:
    with st.chat_message("user"):
        st.markdown(prompt)
    with st.chat_message("assistant"):
        run_turn(build_agent([by_tool[t] for t in enabled]), conv, prompt)

empty = not conv.turns
export_slot.download_button(
    "Export", conv.model_dump_json(indent=2), file_name="conversation.json", mime="application/json",
    icon=":material/download:", disabled=empty,
    help="Nothing to export yet: send a message first" if empty
    else "Download this conversation as JSON (secrets masked), to load it again or attach it to a bug report")
if rerun_slot.button("Tweak & rerun", icon=":material/tune:", disabled=empty, key="to_rerun",
                     help="Chat first, then change an action and replay the same turns" if empty
                     else "Change an action and replay the same user turns"):
    st.switch_page("pages/rerun.py")

def _watch_async(conv, running: int) -> None:
    """While async calls run: check every second, and redraw the page when one finished (its trace arrived)."""
    if len(conv.pending) != running:
        st.rerun()


with st.sidebar:
    st.header(":material/bug_report: Debug", anchor=False)
    if not conv.traces:
        st.caption("Every call the agent makes shows here, one line each: method, path, status and time. "
                   "Click one for its request, response and hints.")
    traceview.timeline(conv)
    traceview.call_list(conv.traces)
    traceview.voice.variables(conv)
    traceview.voice.pending(conv)
    if conv.pending:
        st.fragment(_watch_async, run_every=1.0)(conv, len(conv.pending))
traceview.show_open_call(conv.traces, by_tool)
