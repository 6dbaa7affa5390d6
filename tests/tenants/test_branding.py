import pytest

from tenants.branding import DARK_TEXT, LIGHT_TEXT, contrast_ratio, readable_text_on


@pytest.mark.parametrize(
    ("background", "expected"),
    [
        ("#ff6200", DARK_TEXT),
        ("#ffffff", DARK_TEXT),
        ("#1f4fd1", LIGHT_TEXT),
        ("#000000", LIGHT_TEXT),
    ],
)
def test_text_colour_follows_the_background(background, expected):
    assert readable_text_on(background) == expected


@pytest.mark.parametrize("background", ["#ff6200", "#525199", "#0082c3", "#7afe9f", "#1f4fd1"])
def test_chosen_text_meets_wcag_aa_for_large_text_at_least(background):
    assert contrast_ratio(background, readable_text_on(background)) >= 3.0


def test_contrast_ratio_of_black_on_white_is_21():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
