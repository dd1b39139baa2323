"""Services: the one layer that web pages, the JSON API, the back office and the CLI all call."""
