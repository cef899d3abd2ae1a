"""Window geometry: kept per screen scale, and always on the screen it opens on."""

from __future__ import annotations

from conftest import show_window

from viewer.ui.window_state import clamp, geometry_key, scale_key


def test_clamp_keeps_a_rectangle_inside_the_screen():
    screen = (0, 0, 1280, 800)
    assert clamp((100, 100, 800, 600), screen) == (100, 100, 800, 600)
    assert clamp((2000, 900, 800, 600), screen) == (480, 200, 800, 600)  # off to the side
    assert clamp((-50, -20, 3000, 2000), screen) == (0, 0, 1280, 800)  # larger than the screen
    assert clamp((10, 10, 300, 200), (1280, 0, 1920, 1080)) == (1280, 10, 300, 200)  # 2nd screen


def test_each_screen_scale_has_its_own_key():
    assert scale_key(1.0, 96) != scale_key(2.0, 96) != scale_key(1.0, 144)
    assert scale_key(1.25, 120.0) == "window/geometry-1_25x-120dpi"


def test_geometry_is_saved_per_scale_and_restored_inside_the_screen(qtbot, sample_library):
    win = show_window(qtbot, sample_library)
    key = geometry_key(win)
    area = win.screen().availableGeometry()
    win.resize(area.width() + 900, area.height() + 700)  # e.g. saved on a larger screen
    win.move(area.right() - 50, area.bottom() - 50)
    win.save_state()
    assert not win.settings.get(key).isEmpty()
    win.close()

    again = show_window(qtbot, sample_library)
    inner = again.geometry()  # offscreen Qt adds its frame only once shown, a pixel each side
    assert area.contains(inner), (inner, area)
    assert inner.width() <= area.width() and inner.height() <= area.height()


def test_fit_to_screen_pulls_a_window_back_onto_the_screen(qtbot, sample_library):
    from viewer.ui.window_state import fit_to_screen

    win = show_window(qtbot, sample_library)
    area = win.screen().availableGeometry()
    win.setGeometry(area.right() - 40, area.bottom() - 30, area.width() + 300, area.height() + 200)
    fit_to_screen(win)
    frame = win.frameGeometry()
    assert frame.width() <= area.width() + 2 and frame.height() <= area.height() + 2
    assert area.contains(frame.center()) and frame.left() <= area.left() + 2
