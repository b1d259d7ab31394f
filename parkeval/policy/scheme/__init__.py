"""Reward schemes as data: the model of a scheme file (:mod:`.model`), the numbers of an
article's wording (:mod:`.numbers`) and the strict loader with its registry (:mod:`.loader`)."""

from parkeval.policy.scheme.loader import SchemeRegistry, load_scheme_file, load_schemes
from parkeval.policy.scheme.model import Rule, Scheme

__all__ = ["Rule", "Scheme", "SchemeRegistry", "load_scheme_file", "load_schemes"]
