"""Shared pytest set-up: hypothesis profiles and repository paths."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]

settings.register_profile("default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Saved cases go to a throw-away workspace, never the user's ~/coopkit-workspace: set before any test
# (and the Voila servers and kernels the tests start, which inherit the environment) opens the store.
if not os.environ.get("COOPKIT_WORKSPACE"):
    import tempfile

    os.environ["COOPKIT_WORKSPACE"] = tempfile.mkdtemp(prefix="coopkit-test-workspace-")
os.environ.pop("COOPKIT_DATABASE_URL", None)
