"""Create, edit, duplicate and delete action files, with live lint, preview and tool schema."""

from pathlib import Path

import streamlit as st

from core.action import AUTH_TYPES, BODY_FORMATS, Action, load_action, tool_name
from core.errors import PlaygroundError
from core.lint import lint, name_clashes
from core.project import target_for
from core.render import render
from core.schema import tool_schema
from core.session import SAMPLE_ACTIONS_DIR
from core.store import file_name
from ui import drafts, editor, filelist, forms, importer, page, resources, state, view, voice_editor
from ui.state import Editor as E

page.setup()
st.title("Actions", anchor=False)
folder = resources.actions_folder()
action_set = resources.actions()
paths = list(action_set.actions)
try:
    project_target = target_for(folder).target
except PlaygroundError as exc:  # a broken playground.toml: say so, lint as the default target
    st.error(str(exc))
    project_target = "synthflow"
NEW = E.NEW
BODY_FORMAT_LABELS = {"json": "JSON", "form": "Form (x-www-form-urlencoded)",
                      "multipart": "Multipart form (fields, files)", "text": "Text (sent as written)",
                      "file": "One file (embedded)"}

left, main = st.columns([1, 3])
with left:
    if st.session_state.get(E.CHOICE) not in (None, NEW, *paths):  # the file was deleted or renamed meanwhile
        del st.session_state[E.CHOICE]
    choice = filelist.file_list(action_set, target=project_target, drafts=drafts.drafts(),
                                on_change=editor.guard_switch)
    for path, error in action_set.errors.items():
        st.error(error)

if choice == NEW:
    with main:
        st.subheader("New action")
        how = st.radio("Start from", ["Blank", "A sample", "A cURL command", "OpenAPI operations"],
                       horizontal=True, key="new_from")
        start: Action | None = None
        try:
            if how == "Blank":
                if st.button("Create blank action", type="primary"):
                    start = Action(name="New action", description="Describe when the agent should use this action.",
                                   url="https://api.example.com/resource")
            elif how == "A sample":
                samples = sorted(SAMPLE_ACTIONS_DIR.glob("*.json"))
                sample = st.selectbox("Sample", samples, format_func=lambda p: p.stem)
                if st.button("Start from this sample", type="primary"):
                    start = load_action(sample)
            elif how == "A cURL command":
                start = importer.curl_section()
            else:
                importer.openapi_section(folder)
        except (PlaygroundError, ValueError) as exc:
            st.error(str(exc).splitlines()[0])
        if start is not None:
            editor.load(start, str(file_name(start, folder)))
            state.put(state.EDITOR_FILE, "draft")
elif state.get(state.EDITOR_FILE) != choice:
    editor.load(action_set.actions[choice], choice)
    state.put(state.EDITOR_FILE, choice)

if notice := state.get(state.EDITOR_NOTICE):  # "Saved …", "Deleted …": shown once
    st.toast(notice, icon=":material/delete:" if notice.startswith("Deleted") else ":material/check_circle:")
    state.put(state.EDITOR_NOTICE, None)

if state.get(state.EDITOR_FILE) is None or (choice == NEW and state.get(state.EDITOR_FILE) != "draft"):
    st.stop()

with main:
    target = st.session_state[E.TARGET]
    editor.restore_edits()
    st.caption(f"File: `{target}`" + ("" if Path(target).exists() else " (new, not saved yet)"))
    question = st.container()  # unsaved edits and another file picked: asked here, once the action is built
    if target in drafts.drafts():
        with st.container(border=True, key="editor-draft"):
            note, discard_col = st.columns([5, 1], vertical_alignment="center")
            note.markdown(f":material/edit_note: This is a **draft** of `{Path(target).name}` (made on Tweak & "
                          "rerun, in use in the chat); the file is unchanged. Save writes the draft to the file.")
            discard_col.button("Discard draft", key="editor-discard-draft", on_click=drafts.discard, args=(target,),
                               width="stretch", help="Drop the draft and show the file")
    edit_tab, params_tab, vars_tab, voice_tab = st.tabs(["Endpoint", "Parameters", "Variables", "Voice call"])
    with edit_tab:
        st.text_input("Name", key=E.NAME, help='Descriptive, e.g. "Lookup Order Status"')
        st.text_area("Description", key=E.DESCRIPTION, height=80,
                     help="When to use this tool. This helps the AI decide when to invoke it.")
        n = len(st.session_state[E.DESCRIPTION].strip())
        st.caption(f"{':red' if not 10 <= n <= 200 else ':green'}[{n}/200 characters] (10-200)")
        c1, c2, c3 = st.columns([1, 4, 1])
        c1.selectbox("Method", editor.method_choices(project_target), key=E.METHOD,
                     help="GET, POST, PUT, PATCH, DELETE; HEAD and OPTIONS need target = \"generic\" in playground.toml")
        c2.text_input("Endpoint URL", key=E.URL, help="https:// is added when the scheme is missing. Static under the "
                      "synthflow target; path placeholders such as /pets/{{pet_id}} need target = \"generic\" "
                      "in playground.toml")
        c3.number_input("Timeout (s)", min_value=0.1, max_value=300.0, step=1.0, key=E.TIMEOUT)
        auth_type = st.selectbox("Authentication", AUTH_TYPES, key=E.AUTH_TYPE)
        st.caption("Secrets: a literal, or `env:NAME` to read the environment (then .streamlit/secrets.toml).")
        if auth_type == "bearer":
            st.text_input("Token", key=E.TOKEN, type="password", help="Sends Authorization: Bearer {token}")
        elif auth_type == "basic":
            a, b = st.columns(2)
            a.text_input("Username", key=E.USERNAME)
            b.text_input("Password", key=E.PASSWORD, type="password")
        elif auth_type == "header":
            a, b = st.columns(2)
            a.text_input("Header name", key=E.HEADER_NAME)
            b.text_input("Header value", key=E.HEADER_VALUE, type="password")
        elif auth_type == "oauth2_client_credentials":
            voice_editor.oauth_inputs()
    base = st.session_state[E.BASE]
    frames = {}
    with params_tab:
        st.markdown("**Headers**")
        frames[E.HEADERS] = st.data_editor(base[E.HEADERS], num_rows="dynamic", key=E.HEADERS, width="stretch")
        st.markdown("**Query parameters** (`{{variable_name}}` allowed in values)")
        frames[E.QUERY] = st.data_editor(base[E.QUERY], num_rows="dynamic", key=E.QUERY, width="stretch")
        st.markdown("**Request body** (`{{variable_name}}` allowed)")
        st.selectbox("Body format", BODY_FORMATS, key=E.BODY_FORMAT,
                     format_func=lambda f: BODY_FORMAT_LABELS[f],
                     help="json and form/multipart take a JSON object of fields (a multipart field may be a file: "
                          '{"$file": "a.pdf", "content_type": "application/pdf", "base64": "..."}); text is sent '
                          'as written; file is one {"$file": ...} object sent as its bytes')
        st.text_area("Body", key=E.BODY, height=160, label_visibility="collapsed",
                     placeholder='{"issue_description": "{{issue_description}}", "qty": {{qty}}}')
        if auth_type == "body":
            st.markdown("**Body auth fields** (merged into the JSON body)")
        frames[E.BODY_FIELDS] = (st.data_editor(base[E.BODY_FIELDS], num_rows="dynamic", key=E.BODY_FIELDS,
                                                width="stretch") if auth_type == "body" else base[E.BODY_FIELDS])
    with vars_tab:
        frames[E.VARIABLES] = st.data_editor(base[E.VARIABLES], num_rows="dynamic", key=E.VARIABLES,
                                             width="stretch", column_config=forms.variable_column_config())
    with voice_tab:
        frames[E.PICKS] = voice_editor.tab(base)

    editor.remember_edits(frames)
    action, errors = editor.build(frames)
    if editor.track(frames):
        question.caption(":orange[:material/edit: Unsaved edits]")
    with question:
        editor.ask(action, target)
    for error in errors:
        st.error(error)
    saved_as = action_set.actions.get(target)
    renamed = Path(target).exists() and saved_as is not None and action is not None and action.name != saved_as.name
    new_path = str(file_name(action, folder)) if renamed else target
    rename = renamed and Path(new_path).name != Path(target).name and st.checkbox(
        f"Rename the file too: `{Path(target).name}` → `{Path(new_path).name}`", key=E.RENAME_FILE,
        value=Path(target).stem in tool_name(saved_as.name),  # the file was named after the action
        help="The file name follows the action's name; leave it unticked to keep the file name")
    b1, b2, b3 = st.columns(3)
    b1.button("Save", type="primary", icon=":material/save:", disabled=action is None, width="stretch",
              on_click=editor.save_renamed if rename else editor.save,
              args=(action, target, new_path) if rename else (action, target))
    b2.button("Duplicate", icon=":material/content_copy:", disabled=action is None, width="stretch",
              on_click=editor.duplicate, args=(action, folder))
    if Path(target).exists():
        with b3.popover("Delete…", icon=":material/delete:", width="stretch"):  # the question where the button is
            st.warning(f"Delete `{Path(target).name}`? This cannot be undone.", icon=":material/warning:")
            st.button("Yes, delete it", type="primary", icon=":material/delete:", key="ed_delete_confirm",
                      on_click=editor.delete, args=(target,))

    if action is not None:
        st.divider()
        l1, l2 = st.columns(2)
        with l1:
            st.subheader("Lint")
            folder_actions = {**action_set.actions, target: action}  # as it would be saved (a new file last)
            clash = name_clashes(list(folder_actions.values())).get(list(folder_actions).index(target))
            view.findings(lint(action, list(folder_actions.values()), target=project_target)
                          + ([clash] if clash else []))
        with l2:
            st.subheader("Preview with example values")
            examples = {v.name: v.example for v in action.variables if v.example not in (None, "")}
            try:
                view.request_view(render(resources.runnable([action])[0], examples, state.get(state.RUNTIME),
                                         resources.executor().resolver).masked())
            except PlaygroundError as exc:
                st.warning(str(exc))
        with st.expander("Tool schema (what the model receives)"):
            st.json(tool_schema(action))
