"""Tweak an action, rerun the same user turns, see what changed."""

import streamlit as st

from core.action import parse_action
from core.agent import compare
from core.errors import PlaygroundError
from core.store import save_action
from ui import forms, page, resources, state, view
from ui.chat import build_agent

page.setup()
st.title("Tweak and rerun", anchor=False)
conv = state.get(state.CONVERSATION)
action_set = resources.actions()
if not conv.turns:
    st.info("Chat with the test agent first; then tweak an action here and rerun the same conversation.")
    st.page_link("pages/chat.py", label="Go to Chat", icon=":material/chat:")
    st.stop()

paths = list(action_set.actions)
called = [c.tool_name for t in conv.turns for c in t.calls]
by_tool_path = {a.tool_name: p for p, a in action_set.actions.items()}
default_path = by_tool_path.get(called[-1]) if called else None
path = st.selectbox("Action to tweak", paths, index=paths.index(default_path) if default_path in paths else 0,
                    format_func=lambda p: action_set.actions[p].name, key="rerun_action")
action = action_set.actions[path]

left, right = st.columns(2)
description = left.text_area("Description", action.description, key=f"rerun_desc_{path}",
                             help="When to use this tool (10-200 characters)")
left.caption(f"{len(description.strip())}/200 characters")
url = right.text_input("Endpoint URL", action.url, key=f"rerun_url_{path}")
frame = st.data_editor(forms.variables_frame(action), num_rows="dynamic", width="stretch",
                       column_config=forms.variable_column_config(), key=f"rerun_vars_{path}")

run_col, keep_col, save_col = st.columns([2, 1, 1])
edited = None
try:
    edited = parse_action({**action.to_file_dict(), "description": description, "url": url,
                           "variables": forms.variables_from_frame(frame)}, source=action.name)
except PlaygroundError as exc:
    st.error(str(exc))

if run_col.button("Rerun conversation with these changes", type="primary", icon=":material/play_arrow:", disabled=edited is None,
                  width="stretch"):
    enabled = set(state.get(state.ENABLED) or [a.tool_name for a in action_set.actions.values()])
    tweaked = [edited if p == path else a for p, a in action_set.actions.items()
               if a.tool_name in enabled or p == path]
    try:
        with st.spinner(f"Replaying {len(conv.turns)} user turn(s)…"):
            new = resources.loop().run(build_agent(tweaked).replay(conv.user_turns))
        state.put(state.RERUN, (conv, new))
    except PlaygroundError as exc:  # e.g. the model in Settings has no API key
        st.error(f"{exc}. Change the model in Settings.")
if keep_col.button("Use in chat", disabled=edited is None, width="stretch",
                   help="Keep the change in memory for the chat (the file is not changed)"):
    state.get(state.OVERRIDES)[path] = edited
    st.toast("The chat now uses the tweaked action.")
if save_col.button("Save to file", disabled=edited is None, width="stretch"):
    save_action(edited, path)
    state.get(state.OVERRIDES).pop(path, None)
    st.toast(f"Saved {path}")

result = state.get(state.RERUN)
if result:
    old, new = result
    diffs = compare(old, new)
    changed = sum(1 for d in diffs if d.changed)
    (st.warning if changed else st.success)(f"{changed} of {len(diffs)} turn(s) changed.")
    old_traces = {t.id: t for t in old.traces}
    new_traces = {t.id: t for t in new.traces}
    for diff in diffs:
        st.markdown(f"**Turn {diff.index + 1}** · _{diff.user}_ " + " ".join(f":orange-badge[{c} changed]" for c in diff.changed))
        cols = st.columns(2)
        for col, title, turn, traces in ((cols[0], "Before", diff.old, old_traces), (cols[1], "After", diff.new, new_traces)):
            with col.container(border=True):
                st.caption(title)
                if turn is None:
                    st.caption("(no such turn)")
                    continue
                for call in turn.calls or []:
                    trace = traces.get(call.trace_id)
                    st.markdown(f"{':orange[:material/swap_horiz:] ' if 'action' in diff.changed else ''}`{call.tool_name}` "
                                + (view.status_badge(trace) if trace else ""))
                    st.json(call.arguments, expanded=True)
                if not turn.calls:
                    st.markdown((":orange[:material/swap_horiz:] " if "action" in diff.changed else "") + "_no action called_")
                reply = turn.reply or turn.error or ""
                (st.warning if "reply" in diff.changed or "error" in diff.changed else st.markdown)(reply)
