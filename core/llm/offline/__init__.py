"""The offline simulator: a rule-based, deterministic stand-in for an LLM (no network, no I/O).

It sees exactly what a real model sees, the messages and the tool dicts made by
``core.schema.tool_schema``, and behaves like a careful agent would:

* picks the tool whose name, description and parameters best match the user's words
  (a value shaped like a parameter's example, such as ``ORD-10042``, is a strong signal; on a near-tie
  the best name match wins, and a tool whose description says "use only when ..." gives way);
* reads the description as what says WHEN to use a tool (``evidence``): a tool that fits only by its
  name or a bare example, or whose description says it does something else, is asked about first
  ("Just to check: do you want me to ...?") and called on a yes;
* fills parameters by type from the user's words: emails, phone numbers, dates (ISO and
  natural: "tomorrow", "next friday", "March 3rd"), integers, numbers, yes/no, values
  shaped like the parameter's example, enum words listed in the description, and direct
  answers to its own question;
* asks for each missing required parameter, one at a time, using its description and example;
* calls the tool (several tools at once only for clearly separate requests: each from its own
  values and words; one value never calls two similar tools);
* summarises the tool result, or explains the error with its hint;
* says honestly that it is a simulator when asked.

It keeps no state: every reply is derived from ``messages`` + ``tools`` (and ``today``), so
the same inputs always give the same output. Because descriptions and examples drive it,
better ones visibly make it better, as they would an LLM.
"""

from . import lexicon, phrases, wordnet  # noqa: F401 - the parts tests reach for
from .model import OfflineModel

__all__ = ["OfflineModel"]
