"""The fake amoCRM API is importable as `fake_api_amocrm` from this folder's tests."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
