"""Red, serious-dishonesty and abnormal-operations lists: the back office's workflow and the public
entries.
"""
