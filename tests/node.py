"""The browser's own scripts (js/lib) run by node, to check them against the server's code
on one table of cases. CI installs node; elsewhere these tests are skipped without it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None and not os.environ.get("CI"),
                                reason="node runs the browser's scripts")


def in_node(script: Path, function: str, data: Any) -> Any:
    """`function` (JavaScript: (the script's exports, data) => a value) applied to `data`,
    both ways through JSON, in one node process."""
    program = ("const exported = require(process.argv[1]);"
               "let input = ''; process.stdin.on('data', (d) => { input += d; });"
               "process.stdin.on('end', () => process.stdout.write(JSON.stringify("
               f"({function})(exported, JSON.parse(input)))));")
    done = subprocess.run([NODE or "node", "-e", program, str(script)],
                          input=json.dumps(data), capture_output=True, text=True,
                          encoding="utf-8", check=True, timeout=60)
    return json.loads(done.stdout)
