"""The action file: one custom action (an HTTP call an agent makes), its models and how it is read.

Parts: ``model`` (Action, Variable, the field types), ``auth`` (one model per auth type), ``options``
(the optional voice-call fields: result, retry), ``urls`` (URL checks, path placeholders), ``names``
(tool names), ``loading`` (parse_action, load_action) and ``messages`` (a validation error as one line).
Every name below imports from ``core.action``. Every command that reads an action file loads this
package, so it stays light: its models build their validators on the first file read.
"""

from .auth import AUTH_TYPES, Auth, BasicAuth, BearerAuth, BodyAuth, HeaderAuth, NoAuth, OAuth2ClientCredentials
from .base import NAME_RE, FileModel
from .loading import load_action, parse_action
from .messages import describe
from .model import BODY_FORMATS, METHODS, VAR_TYPES, Action, BodyFormat, ItemType, Method, Variable, VarType
from .names import distinct_tool_names, tool_name, variable_name_problem
from .options import (DEFAULT_RETRY_ON, MODES, OPTIONAL_FIELDS, RETRY_KINDS, WRITE_METHODS, ResultSpec,
                      RetrySpec)
from .urls import SCHEME_RE, check_url, url_path_placeholders

__all__ = [
    "AUTH_TYPES", "Auth", "BasicAuth", "BearerAuth", "BodyAuth", "HeaderAuth", "NoAuth", "OAuth2ClientCredentials",
    "NAME_RE", "FileModel", "load_action", "parse_action", "describe",
    "BODY_FORMATS", "METHODS", "VAR_TYPES", "Action", "BodyFormat", "ItemType", "Method", "Variable", "VarType",
    "distinct_tool_names", "tool_name", "variable_name_problem",
    "DEFAULT_RETRY_ON", "MODES", "OPTIONAL_FIELDS", "RETRY_KINDS", "WRITE_METHODS", "ResultSpec", "RetrySpec",
    "SCHEME_RE", "check_url", "url_path_placeholders",
]
