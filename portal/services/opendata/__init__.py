"""Open data: the API's listings, the removal feed and what they share (cursors, validators).

Everything here reads through the same visibility rule (portal.visibility) and presenters
(portal.presenters) as the public pages, so the API shows nothing a page would not.
"""
