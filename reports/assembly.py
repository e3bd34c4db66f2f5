"""Joins separately rendered PDF parts into one report: pages, page-number overlay, links, outline, metadata."""

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pikepdf

# A bookmark as WeasyPrint builds it, in PDF coordinates: (label, (page, x, y), children, state).
Bookmark = tuple


@dataclass
class RenderedPart:
    """One rendered group of pages, with what the whole document needs to know about it."""

    pdf: bytes
    pages: int
    landscape: list[bool]
    # anchor name -> (page index in this part, x, y), PDF points from the bottom-left corner
    anchors: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    # links to anchors in other parts, made here: (page index, (x1, y1, x2, y2), anchor name)
    links: list[tuple[int, tuple[float, float, float, float], str]] = field(default_factory=list)
    bookmarks: list[Bookmark] = field(default_factory=list)


def assemble(front: RenderedPart, front_pages: int, bodies: list[RenderedPart]) -> bytes:
    """One PDF: the front's first pages, then the bodies' pages, each stamped with its page number.

    The front's pages after ``front_pages`` are the stamps, one per body page, in order. Internal
    links become explicit destinations, the outline is the parts' outlines end to end, and the
    document information (title, language) is the front's.
    """
    import pikepdf  # noqa: PLC0415 — pikepdf (qpdf, ~15 MB) loads in the process that joins a PDF, not in every web process

    out = pikepdf.Pdf.new()
    sources = [pikepdf.open(io.BytesIO(part.pdf)) for part in (front, *bodies)]
    for shift, source in enumerate(sources):
        _retag_font_subsets(source, shift)
    stamps = list(sources[0].pages)[front_pages:]
    out.pages.extend(list(sources[0].pages)[:front_pages])
    parts, offsets = [front, *bodies], [0]
    for source in sources[1:]:
        offsets.append(len(out.pages))
        out.pages.extend(source.pages)
    if len(stamps) != len(out.pages) - front_pages:
        raise ValueError(f"{len(stamps)} page-number stamps for {len(out.pages) - front_pages} pages")
    for page, stamp in zip(list(out.pages)[front_pages:], stamps, strict=True):
        page.add_overlay(stamp, None)  # None: the whole page (pikepdf's stub lacks the default)

    destinations = _destinations(out, parts, offsets, front_pages)
    # Links WeasyPrint made inside a part name their destination: give the names to the whole document.
    names = pikepdf.NameTree.new(out)
    for name, destination in destinations.items():
        names[name] = destination
    out.Root.Names = pikepdf.Dictionary(Dests=names.obj)
    _add_links(out, parts, offsets, destinations)

    with out.open_outline() as outline:
        for part, start in zip(parts, offsets, strict=True):
            outline.root.extend(_outline_items(part.bookmarks, start))

    first = sources[0]
    for key, value in first.docinfo.items():
        out.docinfo[key] = value
    if "/Lang" in first.Root:
        out.Root.Lang = first.Root.Lang
    buffer = io.BytesIO()
    out.save(buffer, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def _destinations(out: "pikepdf.Pdf", parts: list[RenderedPart], offsets: list[int], front_pages: int) -> dict[str, Any]:
    """Every anchor of the parts as an explicit destination in the joined document, by name.

    The front's anchors on its stamp pages are left out: those pages are overlaid, not kept. An
    anchor name found in two parts keeps its first place, as a single document would.
    """
    import pikepdf  # noqa: PLC0415 — pikepdf (qpdf, ~15 MB) loads in the process that joins a PDF, not in every web process

    places: dict[str, tuple[int, float, float]] = {}
    for part, start in zip(parts, offsets, strict=True):
        for name, (index, x, y) in part.anchors.items():
            if part is not parts[0] or index < front_pages:  # not the front's stamps
                places.setdefault(name, (start + index, x, y))
    return {
        name: out.make_indirect(pikepdf.Array([out.pages[target].obj, pikepdf.Name.XYZ, x, y, 0]))
        for name, (target, x, y) in places.items()
    }


def _add_links(out: "pikepdf.Pdf", parts: list[RenderedPart], offsets: list[int], destinations: dict[str, Any]) -> None:
    """The links each part recorded to anchors elsewhere, made into link annotations on their pages.

    A link to an anchor no part holds is dropped rather than left pointing nowhere.
    """
    import pikepdf  # noqa: PLC0415 — pikepdf (qpdf, ~15 MB) loads in the process that joins a PDF, not in every web process

    for part, start in zip(parts, offsets, strict=True):
        for index, rectangle, name in part.links:
            if name not in destinations:
                continue
            page = out.pages[start + index]
            annotation = out.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=pikepdf.Array(rectangle),
                    Border=pikepdf.Array([0, 0, 0]),
                    Dest=destinations[name],
                )
            )
            if "/Annots" not in page.obj:
                page.obj.Annots = pikepdf.Array()
            page.obj.Annots.append(annotation)


def _retag_font_subsets(pdf, shift: int) -> None:
    """Gives each part's font subsets their own tag (ABCDEF+Font): the parts subset the same fonts
    with the same tag but different glyphs, and a reader may take two subsets of one name for one."""
    import pikepdf  # noqa: PLC0415 — pikepdf (qpdf, ~15 MB) loads in the process that joins a PDF, not in every web process

    if not shift:
        return
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        for key in ("/BaseFont", "/FontName"):
            name = str(obj.get(key, ""))
            if len(name) > 8 and name[7] == "+" and name[1:7].isalpha() and name[1:7].isupper():
                tag = "".join(chr((ord(c) - 65 + shift) % 26 + 65) for c in name[1:7])
                obj[key] = pikepdf.Name("/" + tag + name[7:])


def _outline_items(bookmarks: list[Bookmark], start: int) -> list:
    from pikepdf import OutlineItem, PageLocation  # noqa: PLC0415 — pikepdf (qpdf, ~15 MB) loads in the process that joins a PDF, not in every web process

    items = []
    for label, (page, x, y), children, state in bookmarks:
        item = OutlineItem(label, start + page, PageLocation.XYZ, left=x, top=y)
        item.children.extend(_outline_items(children, start))
        item.is_closed = state == "closed"
        items.append(item)
    return items
