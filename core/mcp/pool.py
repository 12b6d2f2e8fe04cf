"""The app's MCP servers: one live connection per server, on the app's event loop, kept across chat turns,
reruns and sessions; a server is closed only when it is removed, and a failed one can be restarted."""

from __future__ import annotations

import asyncio
from typing import Any, Iterable, Sequence

from .source import McpToolSource
from .spec import McpServerSpec, parse_spec


class McpPool:
    """``loop`` is a core.loop.LoopThread: the sources live on it, next to the agent that calls them."""

    def __init__(self, loop: Any, *, timeout_s: float = 30.0) -> None:
        self.loop = loop
        self.timeout_s = timeout_s
        self._sources: dict[str, McpToolSource] = {}

    def sources(self, specs: Sequence[McpServerSpec | str], taken: Iterable[str] = ()) -> list[McpToolSource]:
        """The sources for ``specs``, in order: connected on first use, the same connection after. Their
        tools are named after ``taken`` (the enabled actions' tool names) and each other."""
        wanted = [parse_spec(s) for s in specs]
        new = [McpToolSource(s, timeout_s=self.timeout_s) for s in wanted if s.target not in self._sources]
        if new:
            self.loop.run(self._update([], new))
            self._sources.update({s.spec.target: s for s in new})
        out = [self._sources[s.target] for s in wanted]
        names = set(taken)
        for source in out:
            names.update(source.assign_names(names))
        return out

    @staticmethod
    async def _update(gone: list[McpToolSource], new: list[McpToolSource]) -> None:
        await asyncio.gather(*(s.aclose() for s in gone), *(s.start() for s in new), return_exceptions=True)

    def restart(self, target: str) -> McpToolSource | None:
        """Close the server and connect again (after fixing it); None when it is not open."""
        old = self._sources.get(target)
        if old is None:
            return None
        fresh = McpToolSource(old.spec, timeout_s=self.timeout_s)
        self.loop.run(self._update([old], [fresh]))
        self._sources[target] = fresh
        return fresh

    def remove(self, target: str) -> None:
        """Close the server (its process ends) and forget it."""
        old = self._sources.pop(target, None)
        if old is not None:
            self.loop.run(self._update([old], []))

    def close(self) -> None:
        self.loop.run(self._update(list(self._sources.values()), []))
        self._sources.clear()
