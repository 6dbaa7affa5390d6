import colorsys

import pytest

from tenants.branding import (
    DARK_TEXT,
    LIGHT_TEXT,
    PAPER,
    WASH,
    contrast_ratio,
    palette,
    readable_text_on,
)


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


# --- The palette: every brand colour made readable (issue 20, item 2) -------------

# The three demo brands' primary and accent colours (ING, Decathlon, Auchan).
DEMO_COLOURS = ["#ff6200", "#525199", "#0082c3", "#7afe9f", "#e2001a", "#1f7a3a"]
EDGE_COLOURS = ["#ffff00", "#000000", "#ffffff", "#00ff00", "#777777"]


def _hue(colour):
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return colorsys.rgb_to_hls(*rgb)[0]


@pytest.mark.parametrize("colour", DEMO_COLOURS + EDGE_COLOURS)
def test_every_variant_of_a_brand_colour_meets_wcag_aa(colour):
    colours = palette(colour)
    assert contrast_ratio(colours["fill"], colours["on_fill"]) >= 4.5
    for page in (PAPER, WASH):
        assert contrast_ratio(colours["ink"], page) >= 4.5
        assert contrast_ratio(colours["ui"], page) >= 3.0


def test_decathlons_blue_is_darkened_under_white_text_keeping_its_hue():
    assert contrast_ratio("#0082c3", LIGHT_TEXT) < 4.5  # 4.21:1 as the brand gives it
    colours = palette("#0082c3")
    assert colours["fill"] != "#0082c3"
    assert colours["on_fill"] == LIGHT_TEXT
    assert contrast_ratio(colours["fill"], LIGHT_TEXT) >= 4.5
    assert abs(_hue(colours["fill"]) - _hue("#0082c3")) < 0.01
    # Only as far as needed: still clearly Decathlon's blue, not navy.
    assert contrast_ratio(colours["fill"], LIGHT_TEXT) < 5.0


def test_ings_orange_keeps_its_colour_as_a_background_but_darkens_as_link_text():
    colours = palette("#ff6200")
    assert colours["fill"] == "#ff6200"
    assert colours["on_fill"] == DARK_TEXT
    assert contrast_ratio("#ff6200", PAPER) < 4.5  # the ~3:1 consent links of the issue
    assert colours["ink"] != "#ff6200"
    assert abs(_hue(colours["ink"]) - _hue("#ff6200")) < 0.01


def test_yellow_is_a_background_for_dark_text_and_an_olive_as_text():
    colours = palette("#ffff00")
    assert colours["fill"] == "#ffff00"
    assert colours["on_fill"] == DARK_TEXT
    assert abs(_hue(colours["ink"]) - _hue("#ffff00")) < 0.01


def test_black_needs_no_change():
    assert palette("#000000") == {
        "base": "#000000",
        "fill": "#000000",
        "on_fill": LIGHT_TEXT,
        "ink": "#000000",
        "ui": "#000000",
    }


def test_upper_case_colours_are_read_the_same():
    assert palette("#0082C3") == palette("#0082c3")


# --- The tokens in the pages ------------------------------------------------------


@pytest.mark.django_db
def test_the_base_template_carries_the_brands_tokens(decathlon, client_for):
    decathlon.primary_colour, decathlon.accent_colour = "#0082c3", "#7afe9f"
    decathlon.save(update_fields=["primary_colour", "accent_colour"])
    body = client_for(decathlon).get("/").text
    colours = palette("#0082c3")
    assert f"--brand: {colours['fill']};" in body
    assert "--on-brand: #ffffff;" in body
    assert f"--brand-ink: {colours['ink']};" in body
    assert f"--brand-ui: {colours['ui']};" in body
    assert "--accent-base: #7afe9f;" in body
    assert f"--accent-ui: {palette('#7afe9f')['ui']};" in body
    assert '<meta name="theme-color" content="#007cb9">' in body


@pytest.mark.django_db
def test_another_tenants_colours_never_show(ing, decathlon, client_for):
    ing.primary_colour, ing.accent_colour = "#123456", "#abcdef"
    ing.save(update_fields=["primary_colour", "accent_colour"])
    body = client_for(decathlon).get("/").text
    assert "#123456" not in body
    assert "#abcdef" not in body
    assert "--brand-base: #1f4fd1;" in body  # Decathlon here kept the default colour
