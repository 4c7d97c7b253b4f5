"""The board's follow-up: key figures against the plan's result targets, charts, PDF, Excel."""
