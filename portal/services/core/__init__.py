"""What every domain builds on: the unit of work, the workflow core, record kinds, the audit log,
serial numbers, paging, uploads, cached figures and setup.
"""
