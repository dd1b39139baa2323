"""Import of national double-publicity exchange files (行政许可, 行政处罚)."""
