"""Every session-state key of the app, in one place, with typed accessors."""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

from core.agent import DEFAULT_RULES, Conversation
from core.session import PROJECT_DIR, SAMPLE_ACTIONS_DIR, default_runtime

# Settings
MODEL_SPEC = "model_spec"            # "offline" or "openai:MODEL"
BASE_URL = "base_url"                # OpenAI-compatible server URL ("" = OpenAI)
API_KEY = "api_key"                  # entered on the Settings page; never rendered back
RUNTIME = "runtime"                  # runtime variables of the session
DEAD_AIR_MS = "dead_air_ms"          # a turn with more silence than this gets a hint
ACTIONS_DIR = "actions_dir"
CONNECTION = "connection"            # the latest Test connection: {for, ok, message, models}
MODEL_OVERRIDE = "model_override"    # a ChatModel injected by tests (e.g. ScriptedModel)
MCP_SERVERS = "mcp_servers"          # MCP servers (commands or URLs) whose tools join the enabled actions
# Chat
CONVERSATION = "conversation"
ENABLED = "enabled_actions"          # tool names enabled for the agent
OVERRIDES = "action_overrides"       # drafts: path -> Action in use instead of its file (ui.drafts)
OPEN_CALL = "open_call"              # trace id shown in the call dialog (None: closed)
# Tweak and rerun
RERUN = "rerun_result"               # ui.rerun.RerunResult of the latest rerun (old and new conversations...)
RERUN_RULES = "rerun_rules"          # the diff's ignore rules, as text (core.agent.volatile)
RERUN_ALL = "rerun_all_turns"        # show unchanged turns too
# Test endpoint
SEND_HISTORY = "send_history"        # list[Trace], newest last
SEND_SHOWN = "send_shown"            # the id of the send shown in full (None: the latest)
PROBE = "probe"                      # {"path": action file, "start": Probe} while a one-off request is edited
PROBE_SAVE = "probe_save"            # True while the "save to the action" confirmation is shown
# Actions editor
EDITOR_FILE = "editor_file"          # the file the editor widgets were loaded from
EDITOR_NOTICE = "editor_notice"      # a message to show once (e.g. "Saved …")
# Scenarios
SCENARIO_RESULTS = "scenario_results"   # file -> ScenarioResult of the latest run
SCENARIO_PASSED = "scenario_passed"     # file -> ScenarioResult of the latest passing run
SCENARIOS_DIR = "scenarios_dir"
SCENARIO_DRAFT = "scenario_draft"       # the YAML being edited before saving
SCENARIO_DRAFT_OF = "scenario_draft_of" # which conversation state the draft was made from
SCENARIO_OPEN = "scenario_open"         # the scenario file opened below the list (its result, its YAML)
SCENARIO_EDIT = "scenario_edit"         # the YAML of the opened scenario, being edited
SCENARIO_NOTICE = "scenario_notice"     # a message to show once ("Deleted …")
IMPORT_DOC = "import_doc"               # (text hash, Document, preview rows) of the OpenAPI text being imported
IMPORT_CURL = "import_curl_result"      # the ImportResult of the latest cURL import (notes, candidates)
IMPORT_DONE = "import_done"             # the files the latest OpenAPI import wrote, and its notes

_DEFAULTS: dict[str, Any] = {
    MODEL_SPEC: "offline",
    DEAD_AIR_MS: 2000.0,
    BASE_URL: "",
    API_KEY: "",
    ACTIONS_DIR: os.environ.get("PLAYGROUND_ACTIONS_DIR") or str(SAMPLE_ACTIONS_DIR),
    MCP_SERVERS: [],
    CONNECTION: None,
    ENABLED: None,
    OVERRIDES: {},
    OPEN_CALL: None,
    RERUN: None,
    RERUN_RULES: DEFAULT_RULES,
    SEND_HISTORY: [],
    SEND_SHOWN: None,
    PROBE: None,
    PROBE_SAVE: False,
    EDITOR_FILE: None,
    EDITOR_NOTICE: None,
    SCENARIO_RESULTS: {},
    SCENARIO_PASSED: {},
    SCENARIOS_DIR: os.environ.get("PLAYGROUND_SCENARIOS_DIR") or str(PROJECT_DIR / "scenarios"),
    SCENARIO_DRAFT_OF: None,
    SCENARIO_OPEN: None,
    SCENARIO_NOTICE: None,
    IMPORT_DOC: None,
    IMPORT_CURL: None,
    IMPORT_DONE: None,
}


def init() -> None:
    """Set every key that is not set yet (called once per script run, by app.py)."""
    for key, value in _DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = value.copy() if isinstance(value, (dict, list)) else value
    if RUNTIME not in st.session_state:
        st.session_state[RUNTIME] = default_runtime()
    if CONVERSATION not in st.session_state:
        st.session_state[CONVERSATION] = Conversation()


def keep_widgets() -> None:
    """Keep the action editor's unsaved input when the user visits another page and comes back.

    Streamlit drops a widget's value when its page is left; assigning it back at the top of every
    run makes it a plain session value that survives (data editors: see ``ui.editor.restore_edits``)."""
    for key in Editor.KEPT:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def get(key: str) -> Any:
    if key not in st.session_state:
        init()
    return st.session_state[key]


def put(key: str, value: Any) -> None:
    st.session_state[key] = value


class Editor:
    """Widget keys of the action editor (loaded from a file or a draft, kept on a failed save)."""

    NAME = "ed_name"
    DESCRIPTION = "ed_description"
    METHOD = "ed_method"
    URL = "ed_url"
    AUTH_TYPE = "ed_auth_type"
    TOKEN = "ed_token"
    USERNAME = "ed_username"
    PASSWORD = "ed_password"
    HEADER_NAME = "ed_header_name"
    HEADER_VALUE = "ed_header_value"
    BODY = "ed_body"
    BODY_FORMAT = "ed_body_format"
    TIMEOUT = "ed_timeout"
    HEADERS = "ed_headers"          # data_editor widgets (their edits)
    QUERY = "ed_query"
    VARIABLES = "ed_variables"
    BODY_FIELDS = "ed_body_fields"
    BASE = "ed_base"                # the frames the data editors start from
    TARGET = "ed_target"            # the file a save writes to
    CONFIRM_DELETE = "ed_confirm_delete"
    RENAME_FILE = "ed_rename_file"  # the "rename the file too" checkbox of a renamed action
    SEARCH = "actions_search"       # the file list's search box
    EDITED = "ed_edited"            # the data editors' latest frames (restored after a page switch)
    PRISTINE = "ed_pristine"        # the editor's content as loaded (unsaved edits = anything else)
    PENDING = "ed_pending"          # the file picked while there were unsaved edits (asked about first)
    # OAuth2 client credentials (auth) and the voice-call fields (result, retry, speak_during, mode)
    TOKEN_URL = "ed_token_url"
    CLIENT_ID = "ed_client_id"
    CLIENT_SECRET = "ed_client_secret"
    SCOPE = "ed_scope"
    CLIENT_AUTH = "ed_client_auth"
    PICKS = "ed_picks"              # data_editor: result picks (name, JSONPath)
    MAX_CHARS = "ed_max_chars"      # 0 = the default cap
    RETRY = "ed_retry"              # retry on or off
    ATTEMPTS = "ed_attempts"
    BACKOFF = "ed_backoff"
    RETRY_ON = "ed_retry_on"
    RETRY_WRITES = "ed_retry_writes"
    SPEAK_DURING = "ed_speak_during"
    MODE = "ed_mode"
    CHOICE = "actions_choice"       # the file picked in the list
    NEW = "New action…"             # the list's first entry (a draft, not a file)
    KEPT = (CHOICE, SEARCH, NAME, DESCRIPTION, METHOD, URL, AUTH_TYPE, TOKEN, USERNAME, PASSWORD, HEADER_NAME, HEADER_VALUE,
            BODY, BODY_FORMAT, TIMEOUT, TOKEN_URL, CLIENT_ID, CLIENT_SECRET, SCOPE, CLIENT_AUTH, MAX_CHARS, RETRY,
            ATTEMPTS, BACKOFF, RETRY_ON, RETRY_WRITES, SPEAK_DURING, MODE)
