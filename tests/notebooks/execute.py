"""Executes notebooks headless (nbclient, the python3 kernel), each from the notebooks folder,
and writes the executed copies into OUT_DIR. Prints one JSON line: per notebook, the code cells
run, the images (PNG) shown and any error.

usage: execute.py OUT_DIR NOTEBOOK...
"""
import json
import sys
import time
from pathlib import Path

import nbclient
import nbformat

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
found = {}
for path in map(Path, sys.argv[2:]):
    nb = nbformat.read(path, as_version=4)
    t = time.time()
    error = None
    try:
        nbclient.NotebookClient(
            nb, timeout=1800, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
    except Exception as e:  # the cell's error, with its traceback, is in the notebook
        error = f"{type(e).__name__}: {str(e)[-2000:]}"
    nbformat.write(nb, out / path.name)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    found[path.name] = {
        "code_cells": sum(c.cell_type == "code" for c in nb.cells),
        "executed": sum(c.cell_type == "code" and c.get("execution_count") is not None for c in nb.cells),
        "images": sum("image/png" in o.get("data", {}) for o in outputs),
        "text": "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream"),
        "error": error,
        "seconds": round(time.time() - t, 1),
    }
print(json.dumps(found))
