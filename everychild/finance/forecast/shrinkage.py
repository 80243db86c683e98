"""Shrinking sparse rates towards the rates of the group around them.

A cell of the cohort model (say, autistic 13-year-olds in resourced provision) may hold three
children: its own ending rate would be 0 or 1/3 by chance. Each rate is therefore the cell's
own events plus `strength` pseudo-observations at its parent's rate:

    rate = (events + strength * parent_rate) / (exposure + strength)

(the posterior mean under a Beta prior centred on the parent). A well-observed cell keeps its
own rate; an empty one takes its parent's; no cell is zero unless its whole family is. Because
events never exceed exposure and the parent is a probability, every result is a probability,
and a vector of destination probabilities never sums past 1."""

from __future__ import annotations

import numpy as np

from everychild.finance.forecast.dimensions import BAND_OF_AGE, B


class RateError(ValueError):
    """Counts that cannot be rates: negative, or more events than exposure."""


def shrink(events, exposure, prior, strength: float) -> np.ndarray:
    """The shrunk rate, elementwise. `events` may carry one more trailing axis than `exposure`
    (destinations of a move), in which case `prior` has that axis too."""
    events = np.asarray(events, dtype=float)
    exposure = np.asarray(exposure, dtype=float)
    prior = np.asarray(prior, dtype=float)
    if strength <= 0:
        raise RateError("The shrinkage strength must be positive.")
    if (events < 0).any() or (exposure < 0).any():
        raise RateError("Counts cannot be negative.")
    if ((prior < 0) | (prior > 1)).any():
        raise RateError("A prior rate must lie between 0 and 1.")
    denominator = exposure + strength
    if events.ndim == exposure.ndim + 1:
        if (events.sum(axis=-1) > exposure + 1e-9).any():
            raise RateError("More moves than children to make them.")
        denominator = denominator[..., None]
    elif (events > exposure + 1e-9).any():
        raise RateError("More events than children exposed to them.")
    rate = (events + strength * prior) / denominator
    return np.clip(rate, 0.0, 1.0)


def by_band(array: np.ndarray) -> np.ndarray:
    """Sum the age axis (axis 0) into the age bands."""
    out = np.zeros((B, *array.shape[1:]), dtype=float)
    np.add.at(out, BAND_OF_AGE, array)
    return out


def hierarchical_rates(events: np.ndarray, exposure: np.ndarray, strength: float) -> np.ndarray:
    """Rates for (age, need, placement) cells, shrunk in turn: overall -> age band x placement ->
    age x placement -> age x need x placement.

    events: (A, G, P) or (A, G, P, Q); exposure: (A, G, P). With the destination axis Q the
    overall level is per origin placement (where children go depends on where they are)."""
    events = np.asarray(events, dtype=float)
    exposure = np.asarray(exposure, dtype=float)
    moves = events.ndim == 4
    # Level 0: overall.
    if moves:
        e_p = events.sum(axis=(0, 1))  # (P, Q)
        x_p = exposure.sum(axis=(0, 1))  # (P,)
        # A placement nobody has been in keeps whoever enters it (the identity row).
        overall = np.where(
            x_p[:, None] > 0, e_p / np.maximum(x_p[:, None], 1e-12), np.eye(len(x_p))
        )
        overall = np.clip(overall, 0.0, 1.0)
    else:
        total_x = exposure.sum()
        overall = np.asarray(events.sum() / total_x if total_x > 0 else 0.0)
        overall = np.clip(overall, 0.0, 1.0)
    # Level 1: age band x placement.
    band_events = by_band(events.sum(axis=1))  # (B, P[, Q])
    band_exposure = by_band(exposure.sum(axis=1))  # (B, P)
    band_prior = np.broadcast_to(overall, band_events.shape)
    band_rate = shrink(band_events, band_exposure, band_prior, strength)
    # Level 2: age x placement.
    age_events = events.sum(axis=1)  # (A, P[, Q])
    age_exposure = exposure.sum(axis=1)
    age_rate = shrink(age_events, age_exposure, band_rate[BAND_OF_AGE], strength)
    # Level 3: age x need x placement.
    cell_prior = np.broadcast_to(age_rate[:, None], events.shape)
    return shrink(events, exposure, cell_prior, strength)


def shrink_distribution(counts: np.ndarray, prior: np.ndarray, strength: float) -> np.ndarray:
    """A categorical distribution over the last axis, shrunk towards `prior` (which sums to 1
    on that axis): (counts + strength * prior) / (total + strength)."""
    counts = np.asarray(counts, dtype=float)
    prior = np.asarray(prior, dtype=float)
    if (counts < 0).any():
        raise RateError("Counts cannot be negative.")
    total = counts.sum(axis=-1, keepdims=True)
    return (counts + strength * prior) / (total + strength)


def normalise(weights: np.ndarray, fallback: np.ndarray | None = None) -> np.ndarray:
    """Weights over the last axis scaled to sum to 1; rows of zeros take `fallback` (or stay
    uniform)."""
    weights = np.asarray(weights, dtype=float)
    total = weights.sum(axis=-1, keepdims=True)
    if fallback is None:
        fallback = np.full(weights.shape[-1], 1.0 / weights.shape[-1])
    fallback = np.broadcast_to(fallback, weights.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, weights / np.where(total > 0, total, 1.0), fallback)
