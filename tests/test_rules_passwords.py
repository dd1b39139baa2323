from portal.rules.passwords import problems


def test_good_password_passes():
    assert problems("Credit-Portal-2026", "zhangsan") == []


def test_short_weak_and_username_passwords_fail():
    assert "密码长度不足12位" in problems("Ab1!", "x")
    assert any("三类" in p for p in problems("abcdefghijklmn", "x"))
    assert "密码不得包含用户名" in problems("Zhangsan-2026-ok", "zhangsan")
    assert problems("中文密码也完全可以使用Aa1!", "u") == []
