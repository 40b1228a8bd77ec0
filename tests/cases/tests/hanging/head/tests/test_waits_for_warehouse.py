import subprocess
import sys
import time
from pathlib import Path


def test_waits_for_a_warehouse_that_never_answers() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    Path("child.pid").write_text(str(child.pid))
    time.sleep(600)
