"""Back-office forms (Flask-WTF: every form carries a CSRF token)."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.rules.passwords import POLICY


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=128)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码")])
    new = PasswordField("新密码", validators=[DataRequired("请输入新密码"), Length(max=128)], description=POLICY)
    confirm = PasswordField(
        "确认新密码", validators=[DataRequired("请再次输入新密码"), EqualTo("new", "两次输入的新密码不一致")]
    )


class GradingRunForm(FlaskForm):
    period = StringField(
        "评价期（必填）",
        validators=[DataRequired("请填写评价期")],
        description="季度如2026Q3；以评价期最后一天（不晚于今天）的信用记录评价",
    )


class SampleForm(FlaskForm):
    industry = SelectField("行业（必填）", validate_choice=False)
    seed = StringField("随机种子", validators=[Length(max=32)], description="留空则随机生成；同一种子抽取结果相同")
