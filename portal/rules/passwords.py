"""The staff password policy, stated once and shown on the form."""

from __future__ import annotations

import string

MIN_LENGTH = 12
POLICY = "密码至少12位，须包含大写字母、小写字母、数字和符号中的至少三类，且不得包含用户名"


def problems(password: str, username: str = "") -> list[str]:
    found = []
    if len(password) < MIN_LENGTH:
        found.append(f"密码长度不足{MIN_LENGTH}位")
    classes = sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        )
    )
    if classes < 3:
        found.append("密码须包含大写字母、小写字母、数字和符号中的至少三类")
    if username and username.lower() in password.lower():
        found.append("密码不得包含用户名")
    return found
