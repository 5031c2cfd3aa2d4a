"""The WSGI entry point the web server loads (docker-compose.yml)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wsgi_module_freezes_what_it_loaded_out_of_the_collectors_generations():
    # In a fresh interpreter: freezing this test process's heap would keep its garbage for good.
    probe = "import gc, havebury_social.wsgi; print(gc.get_freeze_count())"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe], cwd=ROOT, env=os.environ, capture_output=True, text=True, check=True
    )
    assert int(result.stdout.split()[-1]) > 10_000  # Django and the apps: well over 10,000 objects
