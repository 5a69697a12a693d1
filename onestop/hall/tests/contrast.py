"""A real contrast check for browser tests: the WCAG 2.2 contrast ratio of the text of every
visible button and link on the page against the background it is actually drawn on.

The script walks each text-bearing element inside a button or link (the control itself
included), takes its computed colour and composes the background colours of the element
and its ancestors, from the page's canvas (white) up, alpha included, until an opaque one.
A background image (a gradient, a picture) behind text makes the pair unknowable from
styles; such text is reported so a test can fail on it rather than guess.
"""

from __future__ import annotations

from typing import Any

WCAG_AA = 4.5

CONTRAST_SCRIPT = r"""
(minimum) => {
  const parse = (text) => {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const parts = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const over = (top, below) => {
    const a = top.a + below.a * (1 - top.a);
    if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
    const mix = (x, y) => (x * top.a + y * below.a * (1 - top.a)) / a;
    return { r: mix(top.r, below.r), g: mix(top.g, below.g), b: mix(top.b, below.b), a };
  };
  const luminance = (c) => {
    const lin = (v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  };
  const ratio = (x, y) => {
    const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (hi + 0.05) / (lo + 0.05);
  };
  const background = (element) => {
    // Layers from the element outwards; composed from the canvas inwards.
    const layers = [];
    let image = false;
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage && style.backgroundImage !== "none") image = true;
      const colour = parse(style.backgroundColor);
      if (colour && colour.a > 0) {
        layers.push(colour);
        if (colour.a >= 1) break;
      }
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (let i = layers.length - 1; i >= 0; i--) result = over(layers[i], result);
    return { colour: result, image };
  };
  const visible = (element) => {
    const style = getComputedStyle(element);
    if (style.visibility === "hidden" || style.display === "none") return false;
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) return false;
    // Text clipped away for screen readers only is not seen.
    if (style.clip === "rect(0px, 0px, 0px, 0px)" || style.clipPath === "inset(50%)") return false;
    return element.checkVisibility ? element.checkVisibility({ opacityProperty: true }) : true;
  };
  const ownText = (element) =>
    Array.from(element.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
  const controls = document.querySelectorAll(
    "a[href], button, [role=button], input[type=submit], input[type=button], summary"
  );
  const found = [];
  controls.forEach((control) => {
    if (!visible(control)) return;
    const texts = [control, ...control.querySelectorAll("*")].filter(
      (el) => (ownText(el) || (el.tagName === "INPUT" && el.value)) && visible(el)
    );
    texts.forEach((el) => {
      const style = getComputedStyle(el);
      const colour = parse(style.color);
      const back = background(el);
      const shown = over(colour, back.colour);
      const value = ratio(shown, back.colour);
      found.push({
        text: (el.tagName === "INPUT" ? el.value : el.textContent).trim().slice(0, 60),
        control: control.tagName.toLowerCase() + (control.className
          ? "." + String(control.className).split(" ").join(".") : ""),
        ratio: Math.round(value * 100) / 100,
        color: style.color,
        background: "rgb(" + [back.colour.r, back.colour.g, back.colour.b]
          .map(Math.round).join(", ") + ")",
        image: back.image,
      });
    });
  });
  return found;
}
"""


def contrast_of_controls(page: Any) -> list[dict[str, Any]]:
    """Every visible button and link text on the page with its contrast ratio."""
    return list(page.evaluate(CONTRAST_SCRIPT, WCAG_AA))


def assert_controls_readable(page: Any, minimum: float = WCAG_AA) -> list[dict[str, Any]]:
    """Fail with the offending controls when any visible button or link text is under
    `minimum`:1 against its background, or sits on a background image. Returns what was
    checked, so a test can also assert that the page had controls at all."""
    checked = contrast_of_controls(page)
    failing = [c for c in checked if c["ratio"] < minimum or c["image"]]
    assert not failing, f"{page.url}: text under {minimum}:1 contrast:\n" + "\n".join(
        f"  {c['control']} {c['text']!r}: {c['ratio']}:1 ({c['color']} on {c['background']})"
        for c in failing
    )
    return checked
