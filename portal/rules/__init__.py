"""Domain rules as pure functions: no database, no Flask, no clock."""
