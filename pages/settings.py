"""Model, dead-air threshold, runtime variables, actions folder, demo API status."""

import streamlit as st

from core.secret import find, mask
from ui import page, resources, state
from ui.servers import mcp_settings

page.setup()
st.title("Settings", anchor=False)

st.subheader("Model")
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
    name = st.text_input("Model name", spec[7:] if spec.startswith("openai:") else "gpt-4o-mini", key="settings_model")
    state.put(state.MODEL_SPEC, f"openai:{name.strip() or 'gpt-4o-mini'}")
    state.put(state.BASE_URL, st.text_input("Base URL (empty for OpenAI)", state.get(state.BASE_URL),
                                            placeholder="http://localhost:11434/v1", key="settings_base_url").strip())
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
        st.success(f"Ready: {model.name}")
    except Exception as exc:  # a ModelError says the fix
        st.error(str(exc))

st.subheader("Dead air")
state.put(state.DEAD_AIR_MS, 1000 * st.number_input(
    "Hint when the caller hears more silence than this (seconds)", min_value=0.1, max_value=60.0, step=0.5,
    value=state.get(state.DEAD_AIR_MS) / 1000, key="settings_dead_air",
    help="Dead air: from the caller's message to the agent's first words (its first text or an action's "
         "speak_during). A turn over this gets a hint naming the slow call."))

st.subheader("Runtime variables")
st.caption("Values the session provides to every action, e.g. {{cal_email}}. An action variable with the same "
           "name wins.")
runtime = dict(state.get(state.RUNTIME))
cols = st.columns(2)
for i, name in enumerate(list(runtime)):
    runtime[name] = cols[i % 2].text_input(name, runtime[name], key=f"settings_rt_{name}")
state.put(state.RUNTIME, runtime)

st.subheader("Actions folder")
folder = st.text_input("Folder of action files (*.json)", state.get(state.ACTIONS_DIR), key="settings_folder")
if folder != state.get(state.ACTIONS_DIR):
    state.put(state.ACTIONS_DIR, folder)
    state.put(state.ENABLED, None)
action_set = resources.actions()
st.caption(f"{len(action_set.actions)} action(s) loaded, {len(action_set.errors)} file(s) with errors.")
for error in action_set.errors.values():
    st.error(error)

mcp_settings()

st.subheader("Demo API")
demo = resources.demo_api()
if demo["error"]:
    st.error(f"{demo['error']}, then restart the app.")
else:
    st.success(f"Running at {demo['url']}" + (" (started with the app)" if demo.get("started_here") else ""))
    st.caption("The sample actions call it. Its credentials are set as env vars (DEMO_*) when they are unset.")
