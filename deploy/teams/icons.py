"""Draws Reggi's Teams icons: `color.png` (192×192) and `outline.png` (32×32, white on transparent).

The icon is a pair of scales. Run `python -m deploy.teams.icons` to redraw the committed PNGs.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
COLOR_SIZE = 192
OUTLINE_SIZE = 32
ACCENT = (31, 78, 121, 255)  # #1F4E79, the manifest's accentColor
WHITE = (255, 255, 255, 255)
SCALE = 4  # draw large and shrink, for smooth edges


def _scales(draw: ImageDraw.ImageDraw, size: int, width: int) -> None:
    """A pair of scales in white, filling the middle of a `size`×`size` canvas."""
    s = size / 100
    line = max(1, round(width * s))
    draw.line([(50 * s, 18 * s), (50 * s, 80 * s)], fill=WHITE, width=line)  # post
    draw.line([(20 * s, 30 * s), (80 * s, 30 * s)], fill=WHITE, width=line)  # beam
    draw.ellipse([46 * s, 14 * s, 54 * s, 22 * s], fill=WHITE)  # pivot
    draw.line([(32 * s, 82 * s), (68 * s, 82 * s)], fill=WHITE, width=line)  # base
    for x in (20, 80):
        draw.line(
            [(x * s, 30 * s), ((x - 12) * s, 56 * s)],
            fill=WHITE,
            width=max(1, line // 2),
        )
        draw.line(
            [(x * s, 30 * s), ((x + 12) * s, 56 * s)],
            fill=WHITE,
            width=max(1, line // 2),
        )
        draw.chord(
            [(x - 14) * s, 46 * s, (x + 14) * s, 66 * s], start=0, end=180, fill=WHITE
        )  # pan


def color_icon() -> Image.Image:
    """The full-colour icon: white scales on a rounded accent-coloured square."""
    big = COLOR_SIZE * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big // 6, fill=ACCENT)
    inner = Image.new("RGBA", (big * 3 // 4, big * 3 // 4), (0, 0, 0, 0))
    _scales(ImageDraw.Draw(inner), inner.width, width=5)
    image.alpha_composite(inner, (big // 8, big // 8))
    return image.resize((COLOR_SIZE, COLOR_SIZE), Image.Resampling.LANCZOS)


def outline_icon() -> Image.Image:
    """The outline icon: white scales on transparency (Teams tints it)."""
    big = OUTLINE_SIZE * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    _scales(ImageDraw.Draw(image), big, width=8)
    small = image.resize((OUTLINE_SIZE, OUTLINE_SIZE), Image.Resampling.LANCZOS)
    # Teams wants pure white on transparent: keep only the alpha channel of the drawing.
    alpha = small.getchannel("A")
    white = Image.new("RGBA", small.size, WHITE)
    white.putalpha(alpha)
    return white


def write_icons(directory: Path = HERE) -> tuple[Path, Path]:
    """Write color.png and outline.png into `directory`; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    color, outline = directory / "color.png", directory / "outline.png"
    color_icon().save(color, format="PNG", optimize=True)
    outline_icon().save(outline, format="PNG", optimize=True)
    return color, outline


if __name__ == "__main__":
    for path in write_icons():
        print(path)
