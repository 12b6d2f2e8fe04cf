"""Regression scenarios: a kept conversation (user turns + expectations) rerun after every change.

A scenario is one human-editable file (YAML or JSON, see README.md, "Regression scenarios")::

    name: order status, multi-turn
    actions: ../sample_actions          # a folder, a file, or a list of them (relative to this file)
    model: offline
    runtime: {cal_email: bookings@demo.example.com}
    turns:
      - user: I'd like to check on my order
        expect: {action: none, reply_contains: order number}
      - user: ORD-10042
        expect: {action: Lookup Order Status, arguments: {order_number: ORD-10042}, status: 200, error: none}

Modules: ``model`` (the file's pydantic models), ``loading`` (files -> validated scenarios, their actions),
``expectations`` (:func:`check_turn`), ``results``, ``running`` (:func:`run_scenario`, live / replay / dry run),
``authoring`` (a scenario from a chat, saving), ``recording`` (a chat's model turns and HTTP exchanges),
``reports`` (JSON, JUnit). Never imports streamlit.
"""

from .authoring import (accept_actual, distinctive_fragment, dump_scenario, expectation_from_turn, relative_to,
                        save_scenario, scenario_dict, scenario_file_name, scenario_from_conversation)
from .expectations import check_turn, values_match
from .loading import (check_expectations, load_scenario, load_scenarios, parse_scenario, parse_scenario_text,
                      scenario_actions, scenario_files)
from .model import EXPECT_FIELDS, HTTP_MODES, SCENARIO_SUFFIXES, Expectation, Scenario, TurnSpec
from .recording import http_exchange, recording_from_conversation
from .reports import report, to_junit
from .results import Failure, RunResult, ScenarioResult, TurnResult
from .running import arun_scenario, run_scenario

__all__ = [
    "EXPECT_FIELDS", "HTTP_MODES", "SCENARIO_SUFFIXES", "Expectation", "Failure", "RunResult", "Scenario", "ScenarioResult",
    "TurnResult", "TurnSpec", "accept_actual", "arun_scenario", "check_expectations", "check_turn",
    "distinctive_fragment", "dump_scenario", "expectation_from_turn", "http_exchange", "load_scenario", "load_scenarios", "parse_scenario", "parse_scenario_text", "recording_from_conversation", "relative_to", "report", "run_scenario",
    "save_scenario", "scenario_actions", "scenario_dict", "scenario_file_name", "scenario_files",
    "scenario_from_conversation", "to_junit", "values_match",
]
