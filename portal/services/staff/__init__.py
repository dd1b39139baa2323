"""Accounts and access: staff accounts and sessions, the access policy (roles, department scoping), the
audit log's reader, worklists.
"""
