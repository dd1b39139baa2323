"""Statistics of credit work: reporting periods, the indicators (one definition each) and what shows
them (admin dashboard, public page, quarterly bulletin, command line)."""
