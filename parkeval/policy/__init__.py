"""Policies as data: the model of a policy file (:mod:`.model`) and its strict loader
(:mod:`.loader`). Later, reward schemes join them here."""

from parkeval.policy.loader import (
    POLICY_PATH_ENV,
    PolicyRegistry,
    load_policy_file,
    load_registry,
    policy_path_from_env,
)
from parkeval.policy.model import (
    METRIC_NAMES,
    METRIC_UNITS,
    OP_WORDS,
    Consequence,
    Criterion,
    Cycle,
    Metric,
    Policy,
    Rubric,
    compare,
    ops_in_wording,
)

__all__ = [
    "METRIC_NAMES",
    "METRIC_UNITS",
    "OP_WORDS",
    "POLICY_PATH_ENV",
    "Consequence",
    "Criterion",
    "Cycle",
    "Metric",
    "Policy",
    "PolicyRegistry",
    "Rubric",
    "compare",
    "load_policy_file",
    "load_registry",
    "ops_in_wording",
    "policy_path_from_env",
]
