"""What `st run` loads for a contract run (SCHEMATHESIS_HOOKS=tools.contract.st_hooks).

Its only job: read the run's configuration, which `tools.contract` wrote to run-config.json
in the output folder and named in CONTRACT_RUN_CONFIG, the token, which it passed in
CONTRACT_TOKEN (schemathesis.toml reads it there too; it is in no file), and the key that
labels credentials in the exchange log (CONTRACT_LOG_KEY, in no file either), then install the
hooks (tools/contract/hooks.py). This is the one module of tools/contract that reads the
environment of st's process, and the one whose import installs anything.
"""

from __future__ import annotations

import os
from pathlib import Path

from tools.contract.config import CONFIG_FILE_VARIABLE, LOG_KEY_VARIABLE, TOKEN_VARIABLE, RunConfig
from tools.contract.hooks import install
from tools.contract.model.secrets import Redactor

if not os.environ.get(CONFIG_FILE_VARIABLE):
    raise RuntimeError(
        f"tools.contract.st_hooks is loaded by `python -m tools.contract`'s st run, which sets {CONFIG_FILE_VARIABLE}; "
        "run `make contract` instead"
    )
_key = os.environ.get(LOG_KEY_VARIABLE)
INSTALLATION = install(
    RunConfig.read(Path(os.environ[CONFIG_FILE_VARIABLE]), token=os.environ.get(TOKEN_VARIABLE, "")),
    redactor=Redactor.from_hex(_key) if _key else None,
)
