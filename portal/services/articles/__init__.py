"""Content: the columns' articles, written in the back office and shown to the public."""
