"""MCP both ways: the actions as an MCP server (``server``, ``serving``), and the tools of any MCP server
as a tool source for the agent (``source``). Uses the official MCP Python SDK; nothing on the engine's
import path (core/__init__, agent, executor) imports this package, so the SDK loads only when used."""
