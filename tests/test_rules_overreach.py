"""Tests of the guard against non-credit topics (portal/rules/overreach.py, spec section 9)."""

import re

import pytest

from portal.rules.overreach import forbidden_topic, refusal_message

CJK = re.compile(r"[\u4e00-\u9fff]")

# (topic label, a violation type, a statement of facts), one per forbidden topic of spec section 9
TOPICS = [
    ("信访", "违规信访", "当事人多次到市政府缠访闹访，扰乱办公秩序"),
    ("信访", "越级上访", "当事人越级上访"),
    ("征收拆迁纠纷", "拆迁纠纷", "当事人拒不配合房屋拆迁"),
    ("征收拆迁纠纷", "征收补偿争议", "当事人对征收补偿方案不满，阻挠强拆"),
    ("闯红灯", "闯红灯", "行人于路口闯红灯"),
    ("闯红灯", "违反交通信号灯通行", "驾驶非机动车不按交通信号灯规定通行"),
    ("不文明养犬", "不文明养犬", "当事人未束犬链遛狗"),
    ("不文明养犬", "遛狗未拴绳", "当事人在小区内遛狗，犬只未拴犬绳"),
    ("拖欠物业费", "拖欠物业费", "当事人拖欠物业服务费两年"),
    ("拖欠物业费", "欠缴物业管理费", "业主欠缴物业管理费"),
    ("垃圾分类", "未按规定进行垃圾分类", "当事人未分类投放生活垃圾"),
    ("垃圾分类", "违反垃圾分类规定", "居民将厨余垃圾与其他垃圾混合投放，未按规定分类投放"),
]

ORDINARY = [
    ("未取得食品经营许可从事食品经营", "当事人未取得食品经营许可证，在其店铺内从事食品经营活动"),
    ("超标排放大气污染物", "当事人锅炉废气中二氧化硫浓度超过排放标准"),
    ("销售不合格产品", "当事人销售的电线电缆经抽检不合格"),
    ("未按规定办理纳税申报", "当事人未按照规定期限办理纳税申报和报送纳税资料"),
    ("未依法取得建筑工程施工许可证擅自施工", "当事人在未取得施工许可证的情况下擅自开工建设"),
]


@pytest.mark.parametrize("label, kind, facts", TOPICS)
def test_topic_found_in_type(label, kind, facts):
    assert forbidden_topic(kind, "当事人存在违法行为") == label
    assert forbidden_topic(kind) == label


@pytest.mark.parametrize("label, kind, facts", TOPICS)
def test_topic_found_in_facts(label, kind, facts):
    assert forbidden_topic("其他", facts) == label
    assert forbidden_topic(None, facts) == label
    assert forbidden_topic("", facts) == label


@pytest.mark.parametrize("label, kind, facts", TOPICS)
def test_topic_found_in_both(label, kind, facts):
    assert forbidden_topic(kind, facts) == label


def test_all_six_topics_are_covered():
    labels = {forbidden_topic(k, f) for _, k, f in TOPICS}
    assert len(labels) == 6
    assert None not in labels


@pytest.mark.parametrize("word", ["信访", "拆迁", "闯红灯", "养犬", "遛狗", "物业费", "垃圾分类"])
def test_each_keyword_of_the_brief_alone_is_refused(word):
    assert forbidden_topic(word) is not None
    assert forbidden_topic("其他", f"当事人{word}问题") is not None


@pytest.mark.parametrize("kind, facts", ORDINARY)
def test_ordinary_penalties_pass(kind, facts):
    assert forbidden_topic(kind, facts) is None


def test_no_texts_or_empty_texts_pass():
    assert forbidden_topic() is None
    assert forbidden_topic(None, None) is None
    assert forbidden_topic("", "") is None


def test_topic_in_a_later_text_is_found():
    assert forbidden_topic("未取得食品经营许可", "无", "另查明当事人拖欠物业费") == "拖欠物业费"


@pytest.mark.parametrize("label", sorted({t[0] for t in TOPICS}))
def test_refusal_message_is_chinese_and_names_the_topic(label):
    message = refusal_message(label)
    assert label in message
    assert CJK.search(message.replace(label, ""))
    assert "信用" in message
    assert "不得" in message


def test_refusal_message_for_a_detected_topic():
    topic = forbidden_topic("违规信访", "当事人闹访")
    message = refusal_message(topic)
    assert f"“{topic}”" in message
