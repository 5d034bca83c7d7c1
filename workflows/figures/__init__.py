"""Statistics: tallies of the cases, frozen months and blocks, and the files made of them.

openpyxl imports numpy whenever it is installed (shapely brings it), only to take numpy's
scalars as cell values, which no report here writes. It is imported first here, with numpy
hidden for that one import: every export is some 50 ms faster to start, and each value
written checks 3 numeric types instead of 31. numpy itself stays importable."""

import sys

if "openpyxl" not in sys.modules and "numpy" not in sys.modules:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` raises ImportError
    try:
        import openpyxl  # noqa: F401
    finally:
        del sys.modules["numpy"]
