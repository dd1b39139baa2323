from portal.rules.alt_text import undescribed_images


def test_images_without_a_description_are_counted():
    assert undescribed_images('<p>图</p><img src="/media/a.png" alt="办事大厅">') == 0
    assert (
        undescribed_images('<img src="/media/a.png"><img src="/media/b.png" alt="  "><img src="/media/c.png" />') == 3
    )
    assert undescribed_images("<img>") == 0  # no source left: nothing is shown
    assert undescribed_images(None) == 0
