"""Online services: commitments, objections and repair applications, filed by the public, handled by
staff, followed on /track.
"""
