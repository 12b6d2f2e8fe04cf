"""Tweak an action, rerun the same user turns safely, see honestly what changed."""

import json

import streamlit as st

from core.action import parse_action
from core.agent import compare, parse_rules, summary
from core.errors import PlaygroundError
from core.rerun import POLICIES, approval_key, held, sent_writes
from core.store import save_action
from ui import drafts, forms, page, resources, state
from ui import rerun as view

page.setup()
st.title("Tweak and rerun", anchor=False)
conv = state.get(state.CONVERSATION)
action_set = resources.actions()
if not conv.turns:
    st.info("Chat with the test agent first; then tweak an action here and rerun the same conversation.")
    st.page_link("pages/chat.py", label="Go to Chat", icon=":material/chat:")
    st.stop()
drafts.banner("rerun")

# -- the tweak ------------------------------------------------------------------------------------------
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
body_text = None
if action.body is not None:
    body_text = right.text_area("Body", action.body if isinstance(action.body, str)
                                else json.dumps(action.body, indent=2, ensure_ascii=False), key=f"rerun_body_{path}",
                                help="JSON, or a JSON template with {{variable}} placeholders")
frame = st.data_editor(forms.variables_frame(action), num_rows="dynamic", width="stretch",
                       column_config=forms.variable_column_config(), key=f"rerun_vars_{path}")
edited = None
try:
    fields = {"description": description, "url": url, "variables": forms.variables_from_frame(frame)}
    if body_text is not None:
        try:
            fields["body"] = json.loads(body_text)
        except ValueError:
            fields["body"] = body_text  # a template such as {"qty": {{qty}}}
    edited = parse_action({**action.to_file_dict(), **fields}, source=action.name)
except PlaygroundError as exc:
    st.error(str(exc))

# -- how to rerun ---------------------------------------------------------------------------------------
model_choice = st.radio("Model", ["live", "replay"], horizontal=True, key="rerun_model",
                        format_func=lambda m: "The model in Settings" if m == "live"
                        else "Replay the recorded model turns (while what the model sees is unchanged)")
policy = st.radio("HTTP requests", list(POLICIES), format_func=POLICIES.get, key="rerun_policy",
                  help="Writes (POST, PUT, PATCH, DELETE) never go out again unless you choose so")
writes = sent_writes(conv)
confirmed = True
if policy == "live" and writes:
    confirmed = st.checkbox(f"Yes, send {len(writes)} write request(s) again for real: "
                            + ", ".join(f"{t.request.method} {t.request.url}" for t in writes if t.request),
                            key="rerun_confirm_writes")
sig = view.signature(path, edited, policy, model_choice == "replay")

run_col, keep_col, save_col = st.columns([2, 1, 1])
enabled = set(state.get(state.ENABLED) or [a.tool_name for a in action_set.actions.values()])
tweaked = [edited if p == path else a for p, a in action_set.actions.items() if a.tool_name in enabled or p == path]


def rerun(approved: list[str]) -> None:
    try:
        with st.spinner(f"Replaying {len(conv.turns)} user turn(s)…"):
            state.put(state.RERUN, view.run(conv, tweaked, policy=policy, replay_model=model_choice == "replay",
                                            approved=approved, sig=sig))
    except PlaygroundError as exc:  # e.g. the model in Settings has no API key
        st.error(f"{exc}. Change the model in Settings.")


if run_col.button("Rerun conversation with these changes", type="primary", icon=":material/play_arrow:",
                  disabled=edited is None or not confirmed, width="stretch"):
    rerun([])
if keep_col.button("Use as a draft in chat", disabled=edited is None, width="stretch",
                   help="The chat uses this tweak instead of the file (shown as a draft; discard it any time)"):
    drafts.put(path, edited)
    st.rerun()
if save_col.button("Save to file", disabled=edited is None, width="stretch"):
    save_action(edited, path)
    drafts.discard(path)
    st.toast(f"Saved {path}")

# -- what changed ---------------------------------------------------------------------------------------
result = state.get(state.RERUN)
if not isinstance(result, view.RerunResult):
    st.stop()
if result.signature != sig:
    st.warning("The form changed since this rerun: the result below is **stale**. Rerun to see the new one.",
               icon=":material/history:")
waiting = held(result.new)
if waiting:
    with st.container(border=True):
        st.warning(f"{len(waiting)} request(s) were **held, not sent**: they are not in the recorded conversation "
                   "or changed since. Nothing goes out without your say.", icon=":material/pan_tool:")
        st.markdown("\n".join(f"- {line}" for line in view.held_notes(waiting)))
        if st.button(f"Send {len(waiting)} held request(s) for real and rerun", icon=":material/send:",
                     key="rerun_send_held", disabled=result.signature != sig):
            rerun(result.approved + [approval_key(t) for t in waiting])
            st.rerun()

with st.expander("Ignored when comparing (edit the rules)", icon=":material/filter_alt:"):
    st.caption("One rule per line: `field NAME` ignores a response field (and its value in replies) when the "
               "request did not send that value, `*` matches anything; `text REGEX` ignores matching text. "
               "Latency, start times and trace ids are never compared.")
    rules_text = st.text_area("Ignore rules", key=state.RERUN_RULES, height=150, label_visibility="collapsed")
try:
    rules = parse_rules(rules_text)
except PlaygroundError as exc:
    st.error(str(exc))
    rules = parse_rules("")
diffs = compare(result.old, result.new, rules)
line = summary(diffs)
(st.warning if any(d.changed for d in diffs) else st.success)(line)
show_all = st.toggle("Show unchanged turns too", key=state.RERUN_ALL)
old_traces = {t.id: t for t in result.old.traces}
new_traces = {t.id: t for t in result.new.traces}
for diff in diffs:
    if diff.changed or show_all:
        view.turn_diff(diff, old_traces, new_traces)
hidden = sum(1 for d in diffs if not d.changed)
if hidden and not show_all:
    st.caption(f"{hidden} unchanged turn(s) hidden.")
