"""What a run of a scenario gives: per turn, per run (repeats), per scenario."""

from __future__ import annotations

from pydantic import BaseModel, Field, computed_field

from ..agent import Turn
from ..trace import Trace
from .model import Expectation

class Failure(BaseModel):
    """The first difference of a failed run."""

    run: int  # 1-based
    turn: int | None  # 1-based; None when the run failed before or outside a turn
    message: str

    def __str__(self) -> str:
        return f"turn {self.turn}: {self.message}" if self.turn is not None else self.message


class TurnResult(BaseModel):
    index: int  # 1-based
    user: str
    expect: Expectation
    turn: Turn  # what actually happened
    traces: list[Trace] = Field(default_factory=list)  # this turn's calls, in call order
    failures: list[str] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        return not self.failures


class RunResult(BaseModel):
    run: int  # 1-based
    turns: list[TurnResult] = Field(default_factory=list)
    error: str | None = None  # the run broke (e.g. an unexpected exception)
    elapsed_ms: float = 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        return self.error is None and all(t.passed for t in self.turns)

    @property
    def first_failure(self) -> Failure | None:
        if self.error is not None:
            return Failure(run=self.run, turn=None, message=self.error)
        for t in self.turns:
            if t.failures:
                return Failure(run=self.run, turn=t.index, message=t.failures[0])
        return None


class ScenarioResult(BaseModel):
    name: str
    file: str | None = None
    model: str = ""
    http: str = "live"  # live, replay or dry-run
    runs: list[RunResult] = Field(default_factory=list)
    elapsed_ms: float = 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        """A scenario passes only when every repeat passes."""
        return bool(self.runs) and all(r.passed for r in self.runs)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passes(self) -> int:
        return sum(r.passed for r in self.runs)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pass_rate(self) -> str:
        return f"{self.passes}/{len(self.runs)}"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failures(self) -> list[Failure]:
        """The first difference of each failed run."""
        return [f for f in (r.first_failure for r in self.runs) if f is not None]

    @property
    def first_failure(self) -> str | None:
        """``turn 2: expected ...``, prefixed with ``run K: `` when there were repeats."""
        if not self.failures:
            return None
        f = self.failures[0]
        return f"run {f.run}: {f}" if len(self.runs) > 1 else str(f)

