"""Assumptions as ranges: the ``uncertainty:`` block of a scenario.

A scenario may map any numeric key (the dotted paths ``--set`` takes, e.g.
``assumptions.handoff.decay_per_hop`` or ``customers.segments.smb.base_churn``) to a
probability distribution. A plain run ignores the block and uses the key's own value; a run
with ``--draws N`` samples every uncertain key N times (see :mod:`ccosim.experiment.psa`).

Each distribution maps a uniform number ``u`` in (0, 1) to a value through its quantile
function (:meth:`Distribution.ppf`), so Latin-hypercube and Sobol designs on the unit cube
carry over to any mix of distributions. Every key is checked like an override: the path must
name a number in the format, and the distribution's whole range must lie within the key's
own bounds (a churn rate cannot be drawn above 1).
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ccosim.suggest import did_you_mean

__all__ = [
    "Beta",
    "Discrete",
    "Distribution",
    "LogNormal",
    "Normal",
    "Triangular",
    "Uniform",
    "apply_values",
    "check_uncertainty",
    "key_value",
    "nearest_model",
]

#: Top-level parts of a scenario whose numbers may be uncertain.
UNCERTAIN_ROOTS = ("assumptions", "customers", "org", "timeline")


#: Widest standard deviation of a cut normal, in widths of its cut: wider is a uniform range.
MAX_SD_PER_WIDTH = 1000.0
#: Farthest a cut may lie from the mean (normal) or median (log-normal), in standard
#: deviations: beyond it the cut holds no probability a float can tell from zero.
MAX_CUT_DISTANCE = 30.0
#: Largest ``sigma`` of a log-normal: its middle 95% then spans a factor of e^19.6 (3e8).
MAX_LOG_SIGMA = 5.0
#: Largest shape of a beta: beyond it every draw is the mean to the precision of a float.
MAX_BETA_SHAPE = 1e6


class _Dist(BaseModel):
    # allow_inf_nan=False: a NaN or infinite end, mean, sd or weight is refused like a NaN
    # fixed value (every draw would otherwise be NaN or one value).
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    reason: str = Field(
        default="",
        max_length=2000,
        description="Why this range: the source or the argument (shown in reports).",
    )

    def support(self) -> tuple[float, float]:
        """Smallest and largest value the distribution can give (may be infinite)."""
        raise NotImplementedError

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Quantile function: the value at cumulative probability ``u`` (0 < u < 1)."""
        raise NotImplementedError

    def point(self) -> float | None:
        """The single value of a degenerate distribution, else None."""
        lo, hi = self.support()
        return lo if lo == hi else None

    def describe(self) -> str:
        """Short text, e.g. ``triangular 0.85 / 0.95 / 1.05``."""
        raise NotImplementedError


def _g(x: float) -> str:
    return f"{x:.4g}"


def _cut_holds_probability(
    name: str, centre: float, sd: float, low: float | None, high: float | None
) -> None:
    """Refuse a cut so far from the centre that its probability is zero to a float."""
    far = (low is not None and (low - centre) / sd > MAX_CUT_DISTANCE) or (
        high is not None and (centre - high) / sd > MAX_CUT_DISTANCE
    )
    if far:
        raise ValueError(
            f"{name}: the cut low..high lies more than {MAX_CUT_DISTANCE:g} standard "
            "deviations from the centre, so it holds no probability to draw from; move the "
            "centre into the cut or widen the spread"
        )


class Uniform(_Dist):
    """Every value between ``low`` and ``high`` equally likely."""

    dist: Literal["uniform"]
    low: float = Field(description="Smallest value.")
    high: float = Field(description="Largest value.")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError("uniform needs low < high (for one fixed value use discrete)")
        return self

    def support(self) -> tuple[float, float]:  # noqa: D102
        return self.low, self.high

    def ppf(self, u: np.ndarray) -> np.ndarray:  # noqa: D102
        return self.low + (self.high - self.low) * np.asarray(u, dtype=float)

    def describe(self) -> str:  # noqa: D102
        return f"uniform {_g(self.low)} to {_g(self.high)}"


class Triangular(_Dist):
    """Most likely ``mode``, falling linearly to zero at ``low`` and ``high``."""

    dist: Literal["triangular"]
    low: float = Field(description="Smallest value.")
    mode: float = Field(description="Most likely value.")
    high: float = Field(description="Largest value.")

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError("triangular needs low <= mode <= high and low < high")
        return self

    def support(self) -> tuple[float, float]:  # noqa: D102
        return self.low, self.high

    def ppf(self, u: np.ndarray) -> np.ndarray:  # noqa: D102
        from scipy import stats

        width = self.high - self.low
        c = (self.mode - self.low) / width
        return stats.triang.ppf(np.asarray(u, dtype=float), c, loc=self.low, scale=width)

    def describe(self) -> str:  # noqa: D102
        return f"triangular {_g(self.low)} / {_g(self.mode)} / {_g(self.high)}"


class Normal(_Dist):
    """Normal with ``mean`` and ``sd``, optionally truncated to ``low``..``high``."""

    dist: Literal["normal"]
    mean: float = Field(description="Mean (before truncation).")
    sd: float = Field(gt=0, description="Standard deviation (before truncation).")
    low: float | None = Field(default=None, description="Truncate below this value.")
    high: float | None = Field(default=None, description="Truncate above this value.")

    @model_validator(mode="after")
    def _ordered(self) -> Normal:
        if self.low is not None and self.high is not None:
            if not self.low < self.high:
                raise ValueError("normal needs low < high")
            if self.sd > MAX_SD_PER_WIDTH * (self.high - self.low):
                raise ValueError(
                    f"normal sd {self.sd:g} is more than {MAX_SD_PER_WIDTH:g} times the width "
                    "of its cut low..high: the draws would be a uniform range (or one value); "
                    "write dist: uniform"
                )
        _cut_holds_probability("normal", self.mean, self.sd, self.low, self.high)
        return self

    def support(self) -> tuple[float, float]:  # noqa: D102
        return (
            -math.inf if self.low is None else self.low,
            math.inf if self.high is None else self.high,
        )

    def ppf(self, u: np.ndarray) -> np.ndarray:  # noqa: D102
        from scipy import stats

        lo, hi = self.support()
        a, b = (lo - self.mean) / self.sd, (hi - self.mean) / self.sd
        return stats.truncnorm.ppf(np.asarray(u, dtype=float), a, b, loc=self.mean, scale=self.sd)

    def describe(self) -> str:  # noqa: D102
        cut = ""
        if self.low is not None or self.high is not None:
            lo, hi = self.support()
            cut = f", cut to {_g(lo)}..{_g(hi)}"
        return f"normal mean {_g(self.mean)}, sd {_g(self.sd)}{cut}"


class LogNormal(_Dist):
    """Log-normal: give ``median`` and ``sigma`` (sd of the log), or ``mean`` and ``sd``."""

    dist: Literal["lognormal"]
    median: float | None = Field(default=None, gt=0, description="Median value.")
    sigma: float | None = Field(
        default=None, gt=0, le=MAX_LOG_SIGMA, description="Standard deviation of the log."
    )
    mean: float | None = Field(default=None, gt=0, description="Mean value (with sd).")
    sd: float | None = Field(default=None, gt=0, description="Standard deviation (with mean).")
    low: float | None = Field(default=None, ge=0, description="Truncate below this value.")
    high: float | None = Field(default=None, gt=0, description="Truncate above this value.")

    @model_validator(mode="after")
    def _parameters(self) -> LogNormal:
        by_median = self.median is not None and self.sigma is not None
        by_mean = self.mean is not None and self.sd is not None
        if by_median == by_mean or (by_median and (self.mean is not None or self.sd is not None)):
            raise ValueError("lognormal needs either median and sigma, or mean and sd")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError("lognormal needs low < high")
        mu, sigma = self._mu_sigma()
        if sigma > MAX_LOG_SIGMA:
            raise ValueError(
                f"lognormal: sd {self.sd:g} on mean {self.mean:g} is a sigma of the log above "
                f"{MAX_LOG_SIGMA:g} (values spread over more than 8 powers of ten)"
            )
        log_low = None if not self.low else math.log(self.low)
        log_high = None if self.high is None else math.log(self.high)
        _cut_holds_probability("lognormal", mu, sigma, log_low, log_high)
        return self

    def _mu_sigma(self) -> tuple[float, float]:
        if self.median is not None and self.sigma is not None:
            return math.log(self.median), self.sigma
        assert self.mean is not None and self.sd is not None
        ratio = self.sd / self.mean
        if ratio > 1e100:  # (its square would overflow; sigma would be far above the limit)
            return math.log(self.mean), math.inf
        s2 = math.log1p(ratio**2)
        return math.log(self.mean) - s2 / 2, math.sqrt(s2)

    def support(self) -> tuple[float, float]:  # noqa: D102
        return (
            0.0 if self.low is None else self.low,
            math.inf if self.high is None else self.high,
        )

    def ppf(self, u: np.ndarray) -> np.ndarray:  # noqa: D102
        from scipy import stats

        mu, sigma = self._mu_sigma()
        lo, hi = self.support()
        p_lo = 0.0 if lo <= 0 else stats.norm.cdf((math.log(lo) - mu) / sigma)
        p_hi = 1.0 if math.isinf(hi) else stats.norm.cdf((math.log(hi) - mu) / sigma)
        z = stats.norm.ppf(p_lo + (p_hi - p_lo) * np.asarray(u, dtype=float))
        return np.clip(np.exp(mu + sigma * z), lo, hi)

    def describe(self) -> str:  # noqa: D102
        mu, sigma = self._mu_sigma()
        return f"lognormal median {_g(math.exp(mu))}, sigma {_g(sigma)}"


class Beta(_Dist):
    """Beta on ``low``..``high`` (default 0..1): ``alpha`` and ``beta``, or ``mean`` and ``sd``."""

    dist: Literal["beta"]
    alpha: float | None = Field(default=None, gt=0, le=MAX_BETA_SHAPE, description="Shape alpha.")
    beta: float | None = Field(default=None, gt=0, le=MAX_BETA_SHAPE, description="Shape beta.")
    mean: float | None = Field(default=None, description="Mean (with sd), on low..high.")
    sd: float | None = Field(default=None, gt=0, description="Standard deviation (with mean).")
    low: float = Field(default=0.0, description="Lower end of the range.")
    high: float = Field(default=1.0, description="Upper end of the range.")

    @model_validator(mode="after")
    def _parameters(self) -> Beta:
        if not self.low < self.high:
            raise ValueError("beta needs low < high")
        by_shape = self.alpha is not None and self.beta is not None
        by_moments = self.mean is not None and self.sd is not None
        if by_shape == by_moments:
            raise ValueError("beta needs either alpha and beta, or mean and sd")
        if by_moments and max(self._shapes()) > MAX_BETA_SHAPE:  # (raises for impossible ones)
            raise ValueError(
                f"beta: sd {self.sd:g} is so small that the shapes exceed {MAX_BETA_SHAPE:g} "
                "(every draw would be the mean); for one fixed value use discrete"
            )
        return self

    def _shapes(self) -> tuple[float, float]:
        if self.alpha is not None and self.beta is not None:
            return self.alpha, self.beta
        assert self.mean is not None and self.sd is not None
        width = self.high - self.low
        m, s = (self.mean - self.low) / width, self.sd / width
        if not 0 < m < 1 or s * s >= m * (1 - m):
            raise ValueError(
                "beta: mean must lie strictly inside low..high and sd below "
                "sqrt(mean' x (1 - mean')) on the 0..1 scale"
            )
        k = m * (1 - m) / (s * s) - 1 if s * s > 0 else math.inf  # (sd underflows)
        return m * k, (1 - m) * k

    def support(self) -> tuple[float, float]:  # noqa: D102
        return self.low, self.high

    def ppf(self, u: np.ndarray) -> np.ndarray:  # noqa: D102
        from scipy import stats

        a, b = self._shapes()
        return stats.beta.ppf(
            np.asarray(u, dtype=float), a, b, loc=self.low, scale=self.high - self.low
        )

    def describe(self) -> str:  # noqa: D102
        a, b = self._shapes()
        span = "" if (self.low, self.high) == (0.0, 1.0) else f" on {_g(self.low)}..{_g(self.high)}"
        return f"beta({_g(a)}, {_g(b)}){span}"


class Discrete(_Dist):
    """A list of ``values`` with ``weights`` (equal when omitted); one value fixes the key."""

    dist: Literal["discrete"]
    values: list[float] = Field(min_length=1, max_length=1000, description="Possible values.")
    weights: list[float] | None = Field(
        default=None, description="Relative weight of each value (default: equal)."
    )

    @model_validator(mode="after")
    def _weights(self) -> Discrete:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    f"discrete has {len(self.values)} values but {len(self.weights)} weights"
                )
            if any(not w > 0 for w in self.weights):
                raise ValueError(
                    "discrete weights must be positive (a value of weight 0 is never drawn: "
                    "leave it out)"
                )
            if not math.isfinite(sum(self.weights)):
                raise ValueError(
                    "discrete weights are too large to add up; give relative weights such as "
                    "1, 2, 3"
                )
        return self

    def probabilities(self) -> np.ndarray:
        """Normalised weights."""
        w = np.ones(len(self.values)) if self.weights is None else np.asarray(self.weights, float)
        return w / w.sum()

    def support(self) -> tuple[float, float]:  # noqa: D102
        return min(self.values), max(self.values)

    def ppf(self, u: np.ndarray) -> np.ndarray:  # noqa: D102
        cumulative = np.cumsum(self.probabilities())
        index = np.searchsorted(cumulative, np.asarray(u, dtype=float), side="right")
        return np.asarray(self.values, dtype=float)[np.minimum(index, len(self.values) - 1)]

    def describe(self) -> str:  # noqa: D102
        if len(self.values) == 1:
            return f"fixed at {_g(self.values[0])}"
        shown = ", ".join(_g(v) for v in self.values[:6])
        more = ", ..." if len(self.values) > 6 else ""
        weights = "" if self.weights is None else " (weighted)"
        return f"one of {shown}{more}{weights}"


Distribution = Annotated[
    Uniform | Triangular | Normal | LogNormal | Beta | Discrete,
    Field(discriminator="dist"),
]


# --- keys -------------------------------------------------------------------------------------


class KeyError_(ValueError):
    """An uncertain key that names no number of the scenario."""


def _list_item(items: list[Any], part: str) -> int | None:
    if part.isdigit():
        index = int(part)
        return index if index < len(items) else None
    for index, item in enumerate(items):
        if getattr(item, "id", None) == part:
            return index
    return None


def _walk(root: BaseModel, path: str) -> list[tuple[Any, str | int]]:
    """The containers along ``path`` with the key taken in each, root first.

    Raises:
        KeyError_: with what is wrong, naming the part of the path.
    """
    parts = path.split(".")
    if any(not p for p in parts):
        raise KeyError_(f"malformed path {path!r}: empty part between dots")
    if parts[0] not in UNCERTAIN_ROOTS:
        raise KeyError_(
            f"only numbers under {', '.join(UNCERTAIN_ROOTS)} may be uncertain, not {parts[0]!r}"
        )
    steps: list[tuple[Any, str | int]] = []
    node: Any = root
    for depth, part in enumerate(parts):
        here = ".".join(parts[:depth]) or "(top level)"
        if isinstance(node, BaseModel):
            fields = list(type(node).model_fields)
            if part not in fields:
                raise KeyError_(f"{here} has no key {part!r}{did_you_mean(part, fields)}")
            steps.append((node, part))
            node = getattr(node, part)
        elif isinstance(node, dict):
            if part not in node:
                keys = [str(k) for k in node]
                hint = did_you_mean(part, keys) or f"; keys here: {', '.join(keys[:20])}"
                raise KeyError_(f"{here} has no key {part!r}{hint}")
            steps.append((node, part))
            node = node[part]
        elif isinstance(node, (list, tuple)):
            index = _list_item(list(node), part)
            if index is None:
                ids = [str(getattr(v, "id", "")) for v in node if getattr(v, "id", None)]
                known = f"; ids here: {', '.join(ids[:20])}" if ids else ""
                raise KeyError_(f"{here} has no item {part!r}{known}")
            steps.append((node, index))
            node = node[index]
        else:
            raise KeyError_(f"{here} is a single value, so it has no key {part!r}")
    return steps


def key_value(scenario: BaseModel, path: str) -> Any:
    """The current value of ``path`` in ``scenario`` (raises :class:`KeyError_`)."""
    container, key = _walk(scenario, path)[-1]
    return getattr(container, key) if isinstance(container, BaseModel) else container[key]


def nearest_model(scenario: BaseModel, path: str) -> BaseModel:
    """The innermost model holding the number at ``path`` (whose rules apply to it)."""
    for container, _ in reversed(_walk(scenario, path)):
        if isinstance(container, BaseModel):
            return container
    return scenario  # pragma: no cover - every path starts at the scenario


def _annotation_of(steps: list[tuple[Any, str | int]]) -> Any:
    """The type annotation of the leaf, as declared in the nearest model."""
    for i in range(len(steps) - 1, -1, -1):
        container, key = steps[i]
        if isinstance(container, BaseModel):
            annotation = type(container).model_fields[str(key)].annotation
            for _ in steps[i + 1 :]:
                args = typing.get_args(_strip(annotation))
                annotation = args[-1] if args else None
            return _strip(annotation)
    return None


def _strip(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _strip(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _strip(args[0]) if len(args) == 1 else annotation
    return annotation


def _replace(steps: list[tuple[Any, str | int]], value: Any, *, validate: bool) -> Any:
    """Rebuild the containers along ``steps`` bottom-up with the leaf set to ``value``.

    With ``validate`` the nearest enclosing model is validated with the new value (so its
    bounds and rules apply) and returned; without, every level is copied without validation
    and the new root is returned.
    """
    new: Any = value
    for container, key in reversed(steps):
        if isinstance(container, BaseModel):
            if validate:
                data = container.model_dump()
                data[str(key)] = new
                return type(container).model_validate(data)
            new = container.model_copy(update={str(key): new})
        elif isinstance(container, dict):
            new = {**container, key: new}
        else:
            items = list(container)
            items[int(key)] = new
            new = type(container)(items) if isinstance(container, tuple) else items
    return new


def check_uncertainty(scenario: BaseModel) -> Iterator[tuple[tuple[str, ...], str]]:
    """Problems with ``scenario.uncertainty``: ``(raw key path, message)`` per bad key."""
    table: Mapping[str, Any] = getattr(scenario, "uncertainty", {}) or {}
    for path, dist in table.items():
        where = ("uncertainty", path)
        try:
            steps = _walk(scenario, path)
        except KeyError_ as exc:
            yield where, str(exc)
            continue
        current = key_value(scenario, path)
        annotation = _annotation_of(steps)
        if isinstance(current, bool) or annotation is bool:
            yield where, "is a true/false switch, not a number; it cannot be uncertain"
            continue
        if isinstance(current, (BaseModel, dict, list, str)) or annotation not in (
            int,
            float,
            None,
        ):
            yield where, "names a group of settings or text, not a number"
            continue
        if annotation is int and not (
            isinstance(dist, Discrete) and all(float(v).is_integer() for v in dist.values)
        ):
            yield where, "is a whole number: give it a discrete distribution of whole numbers"
            continue
        lo, hi = dist.support()
        ends = dist.values if isinstance(dist, Discrete) else [lo, hi]
        for end in sorted(set(ends)):
            try:
                _replace(steps, int(end) if annotation is int else end, validate=True)
            except ValidationError as exc:
                err = exc.errors()[0]
                message = str(err["msg"]).removeprefix("Value error, ")
                side = "below" if end == lo else "above" if end == hi else "at"
                if math.isinf(end):
                    # (The key's own message is about infinity, which says nothing here.)
                    yield (
                        where,
                        f"{dist.dist} is unbounded {side} but the key is not; "
                        f"give {'low' if side == 'below' else 'high'} to cut the range",
                    )
                else:
                    yield where, f"the range reaches {end:g}, outside the key's bounds: {message}"
                break


def apply_values(scenario: BaseModel, values: Mapping[str, float]) -> Any:
    """``scenario`` with each dotted key set to its value (no re-validation: checked keys).

    Integer keys get the value rounded to a whole number.
    """
    for path, value in values.items():
        steps = _walk(scenario, path)
        number: float | int = float(value)
        if _annotation_of(steps) is int:
            number = round(number)
        scenario = _replace(steps, number, validate=False)
    return scenario


RANGES_BEGIN = "<!-- BEGIN SHIPPED RANGES (make docs) -->"
RANGES_END = "<!-- END SHIPPED RANGES -->"


def ranges_table(scenario: BaseModel) -> str:
    """Markdown table of a scenario's uncertain keys: value used by plain runs, range, reason."""
    lines = [
        "| assumption | plain runs use | range drawn | reason |",
        "|---|---|---|---|",
    ]
    for path, dist in getattr(scenario, "uncertainty", {}).items():
        value = key_value(scenario, path)
        reason = dist.reason.replace("|", "\\|")
        lines.append(f"| `{path}` | {value:g} | {dist.describe()} | {reason} |")
    return "\n".join(lines) + "\n"


def refresh_ranges(text: str, scenario: BaseModel) -> str:
    """``text`` with the part between the shipped-ranges markers replaced by the table."""
    start, end = text.index(RANGES_BEGIN) + len(RANGES_BEGIN), text.index(RANGES_END)
    return text[:start] + "\n" + ranges_table(scenario) + text[end:]
