"""Editable tables for action fields, and back to the action file's shape."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from core.action import VAR_TYPES, Action

VARIABLE_COLUMNS = ["name", "type", "description", "example", "required", "default"]


def variable_column_config() -> dict[str, Any]:
    return {
        "name": st.column_config.TextColumn("name", help="snake_case, used as {{name}}", required=True),
        "type": st.column_config.SelectboxColumn("type", options=list(VAR_TYPES), required=True, default="string"),
        "description": st.column_config.TextColumn("description", help="What it is; helps the agent collect it"),
        "example": st.column_config.TextColumn("example", help="Guides the agent on the expected format"),
        "required": st.column_config.CheckboxColumn("required", default=True),
        "default": st.column_config.TextColumn("default", help="Used when optional and not provided"),
    }


def _text(value: Any) -> str:
    return "" if value is None else value if isinstance(value, str) else json.dumps(value)


def variables_frame(action: Action) -> pd.DataFrame:
    rows = [{"name": v.name, "type": v.type, "description": v.description, "example": _text(v.example),
             "required": v.required, "default": _text(v.default)} for v in action.variables]
    return pd.DataFrame(rows, columns=VARIABLE_COLUMNS).astype(
        {"name": str, "type": str, "description": str, "example": str, "required": bool, "default": str})


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value if not isinstance(value, str) or value.strip() else None


def variables_from_frame(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict("records"):
        if not _cell(row.get("name")):
            continue
        out.append({"name": str(row["name"]).strip(), "type": _cell(row.get("type")) or "string",
                    "description": _cell(row.get("description")) or "", "example": _cell(row.get("example")),
                    "required": bool(_cell(row.get("required"))), "default": _cell(row.get("default"))})
    return out


def pairs_frame(mapping: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"key": k, "value": v} for k, v in mapping.items()], columns=["key", "value"]).astype(str)


def pairs_from_frame(frame: pd.DataFrame) -> dict[str, str]:
    return {str(r["key"]).strip(): "" if _cell(r.get("value")) is None else str(r["value"])
            for r in frame.to_dict("records") if _cell(r.get("key"))}
