"""ipywidgets apps of 基层减负工作簿: one module per app, wired to the jianfu core."""
