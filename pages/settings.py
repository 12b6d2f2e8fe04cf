"""Model (with a real connection test), dead-air threshold, runtime variables, actions folder, MCP servers, demo
API status."""

from pathlib import Path

import streamlit as st

from core.errors import PlaygroundError
from core.secret import find, mask
from core.template import check_name
from ui import connection, page, resources, state
from ui.chat import stale_notice
from ui.servers import mcp_settings

page.setup()
st.title("Settings", anchor=False)

st.subheader("Model", anchor=False)
spec = state.get(state.MODEL_SPEC)
kind = st.radio("Chat model", ["Offline simulator", "OpenAI-compatible"], horizontal=True,
                index=0 if spec == "offline" else 1, key="settings_kind",
                help="The offline simulator needs no key and no network. OpenAI-compatible covers OpenAI, "
                     "Ollama, vLLM, LM Studio and llama.cpp servers.")
if kind == "Offline simulator":
    state.put(state.MODEL_SPEC, "offline")
    st.caption("Deterministic and rule-based: it picks an action from your words, collects its variables and "
               "calls it. Better descriptions and examples make it better, as they would an LLM.")
else:
    state.put(state.BASE_URL, st.text_input("Base URL (empty for OpenAI)", state.get(state.BASE_URL),
                                            placeholder="http://localhost:11434/v1", key="settings_base_url").strip())
    current = spec[7:] if spec.startswith("openai:") else "gpt-4o-mini"
    listed = connection.listed_models()
    if listed:  # the server's own list, and any other name typed in
        options = listed if current in listed else [current, *listed]
        name = st.selectbox("Model name", options, index=options.index(current), accept_new_options=True,
                            key="settings_model_pick", help=f"The {len(listed)} model(s) the server lists; "
                                                            "type another name if yours is not there")
    else:
        name = st.text_input("Model name", current, key="settings_model",
                             help="Test the connection to choose from the models the server lists")
    state.put(state.MODEL_SPEC, f"openai:{(name or '').strip() or 'gpt-4o-mini'}")
    entered = state.get(state.API_KEY)
    found = None if entered else find("OPENAI_API_KEY")  # the environment, then .streamlit/secrets.toml
    source = "entered here" if entered else (f"OPENAI_API_KEY from {found[1]}" if found else None)
    key_now = entered or (found[0] if found else "")
    st.caption(f"API key: {mask(key_now)} ({source})" if source else "API key: not set (local servers need none)")
    with st.form("key_form", clear_on_submit=True):
        new_key = st.text_input("API key", type="password", placeholder="sk-…  (never shown again)")
        if st.form_submit_button("Use this key") and new_key.strip():
            state.put(state.API_KEY, new_key.strip())
            st.rerun()
    if entered and st.button("Forget the entered key"):
        state.put(state.API_KEY, "")
        st.rerun()
    try:
        model = resources.model()
    except PlaygroundError as exc:  # a ModelError says the fix, for this page
        model = None
        st.error(str(exc), icon=":material/error:")
    if model is not None:
        if st.button("Test connection", icon=":material/network_check:", key="settings_test_connection",
                     help="Sends one small real request (a one-word completion) and asks the server for its models"):
            with st.spinner(f"Asking {model.name}…"):
                connection.test()
            st.rerun()  # the model list, if the server has one, replaces the name box
        tested = connection.latest()
        if tested is None:
            st.caption(f"{model.name} is set up but not tested yet: *Test connection* makes one small real request.")
        elif tested["ok"]:
            st.success(tested["message"], icon=":material/check_circle:")
        else:
            st.error(tested["message"], icon=":material/error:")

st.subheader("Dead air", anchor=False)
state.put(state.DEAD_AIR_MS, 1000 * st.number_input(
    "Hint when the caller hears more silence than this (seconds)", min_value=0.1, max_value=60.0, step=0.5,
    value=state.get(state.DEAD_AIR_MS) / 1000, key="settings_dead_air",
    help="Dead air: from the caller's message to the agent's first words (its first text or an action's "
         "speak_during). A turn over this gets a hint naming the slow call."))

st.subheader("Runtime variables", anchor=False)
st.caption("Values the session provides to every action, e.g. {{cal_email}}. An action variable with the same "
           "name wins.")
runtime = dict(state.get(state.RUNTIME))


def remove(name: str) -> None:
    runtime_now = dict(state.get(state.RUNTIME))
    runtime_now.pop(name, None)
    state.put(state.RUNTIME, runtime_now)
    st.session_state.pop(f"settings_rt_{name}", None)


for name in list(runtime):
    value_col, remove_col = st.columns([6, 1], vertical_alignment="bottom")
    runtime[name] = value_col.text_input(name, runtime[name], key=f"settings_rt_{name}")
    remove_col.button("Remove", icon=":material/delete:", key=f"settings_rt_rm_{name}", on_click=remove,
                      args=(name,), width="stretch", help=f"Stop providing {{{{{name}}}}}")
state.put(state.RUNTIME, runtime)
with st.form("runtime_add", clear_on_submit=True, border=False):
    name_col, value_col, add_col = st.columns([2, 4, 1], vertical_alignment="bottom")
    new_name = name_col.text_input("New variable", placeholder="crm_region")
    new_value = value_col.text_input("Its value", placeholder="eu-west")
    if add_col.form_submit_button("Add", icon=":material/add:", width="stretch") and new_name.strip():
        try:
            check_name(new_name.strip())
        except PlaygroundError as exc:
            st.error(str(exc), icon=":material/error:")
        else:
            state.put(state.RUNTIME, {**runtime, new_name.strip(): new_value})
            st.rerun()

st.subheader("Actions folder", anchor=False)
folder = st.text_input("Folder of action files (*.json)", state.get(state.ACTIONS_DIR), key="settings_folder")
if folder != state.get(state.ACTIONS_DIR):
    state.put(state.ACTIONS_DIR, folder)
    state.put(state.ENABLED, None)
if not Path(folder).is_dir():
    st.error(f"The folder `{folder}` does not exist: check the path (absolute, or relative to "
             f"`{Path.cwd()}`).", icon=":material/folder_off:")
else:
    action_set = resources.actions()
    st.caption(f"{len(action_set.actions)} action(s) loaded" + (f", {len(action_set.errors)} file(s) that could "
               "not be loaded:" if action_set.errors else "."))
    for error in action_set.errors.values():
        st.error(error)
    stale_notice(state.get(state.CONVERSATION), action_set.by_tool(), key="settings")

mcp_settings()

st.subheader("Demo API", anchor=False)
demo = resources.demo_api()
if demo["error"]:
    st.error(f"{demo['error']}, then restart the app.")
else:
    st.success(f"Running at {demo['url']}" + (" (started with the app)" if demo.get("started_here") else ""))
    st.caption("The sample actions call it. Its credentials are set as env vars (DEMO_*) when they are unset.")
