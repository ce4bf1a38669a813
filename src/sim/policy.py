"""Dated rule periods compiled to day numbers: what the rules read on a given day.

A scenario switches rules on for dated periods. :class:`Period` is the base of every rule's period model
(``sim.rules``); :class:`Policy` compiles a scenario's periods into day numbers once, and :meth:`Policy.at`
gives the :class:`At` snapshot (rules in force and model parameters) that rule functions read. No date
arithmetic happens per event: snapshots are cached per whole day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = ["Period", "At", "Policy", "Number"]


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not {str(value).lower()}")
    return value


#: A float that refuses YAML booleans (pydantic would read ``yes`` as 1.0).
Number = Annotated[float, BeforeValidator(_not_bool)]


class Period(BaseModel):
    """One dated period of a rule: in force from ``from`` up to and including ``until`` (open if absent)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    from_: dt.date = Field(alias="from", description="First day the rule is in force.")
    until: dt.date | None = Field(None, description="Last day the rule is in force; absent means no end.")

    @model_validator(mode="before")
    @classmethod
    def _no_bool_numbers(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, field in cls.model_fields.items():
                value = data.get(field.alias or name)
                if isinstance(value, bool) and field.annotation not in (bool, "bool"):
                    raise ValueError(f"'{field.alias or name}' must be a number, not {str(value).lower()}")
        return data

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.until is not None and self.until < self.from_:
            raise ValueError(f"'until' ({self.until}) is before 'from' ({self.from_})")
        return self


@dataclass(frozen=True, slots=True)
class At:
    """The rules and parameters in force on one day: what a rule function reads.

    Attributes:
        day: the day (days since the run's origin).
        active: rule name -> the period in force that day (absent if none).
        p: scalar model parameters by name.
        policy: the compiled policy (for rules whose scope reaches back to the filing date).
    """

    day: float
    active: dict[str, Period]
    p: dict[str, float]
    policy: Policy


class Policy:
    """A scenario's rule periods compiled to day numbers, with a per-day cache of :class:`At` snapshots."""

    def __init__(self, rules: dict[str, list[Period]], params: dict[str, float], origin: dt.date) -> None:
        self.origin = origin
        self.params = params
        self.periods: dict[str, list[tuple[float, float, Period]]] = {
            name: [(self.day(p.from_), self.day(p.until) + 1.0 if p.until else float("inf"), p) for p in periods]
            for name, periods in rules.items()
            if periods
        }
        self._cache: dict[int, At] = {}

    def day(self, date: dt.date) -> float:
        """Day number of a calendar date (days since the origin)."""
        return float((date - self.origin).days)

    def at(self, day: float) -> At:
        """The rules in force on ``day`` (cached per whole day)."""
        key = int(day // 1)
        at = self._cache.get(key)
        if at is None:
            active = {
                name: period
                for name, periods in self.periods.items()
                for start, end, period in periods
                if start <= key < end
            }
            at = At(day=float(key), active=active, p=self.params, policy=self)
            self._cache[key] = at
        return at

    def start_of(self, period: Period) -> float:
        """Day number on which a period starts."""
        return self.day(period.from_)

    def end_of(self, period: Period) -> float:
        """Day number after the period's last day (inf if open)."""
        return self.day(period.until) + 1.0 if period.until else float("inf")


