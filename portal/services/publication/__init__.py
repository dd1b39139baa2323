"""Records and publication: entering, reviewing and publishing licences and penalties, their edits,
data quality, and the public listings and credit file.
"""
