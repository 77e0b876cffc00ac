"""A course as an IMS Common Cartridge 1.3 (``<id>.imscc``): the syllabus, as the LMS imports it.

Canvas, Moodle, Blackboard and Brightspace import a Common Cartridge as a course's modules. This is
a "thin" cartridge: it carries no text of the readings (their rights stay with the edition), only

- one module per week (an ``<item>`` of the organization), in the syllabus order;
- each assigned item as a **web link** (``imswl_xmlv1p3``) to its paragraph on the edition's
  address — ``site_url`` + ``readings/viola/chapter-1.html#p50`` — so a student lands on the first
  assigned paragraph;
- the syllabus (first, outside the weeks) and each week's instructor's notes as **pages**
  (``webcontent``: an HTML file in the cartridge, every text from the course file escaped);
- each of the week's discussion questions as a **discussion topic** (``imsdt_xmlv1p3``).

The web links need the edition's address: a course built without one (no ``site_url`` in mkdocs.yml
and no ``--site-url``) stops with what to do, since a cartridge of links to nowhere is worse than none.

The XML is written with lxml. No package on PyPI or npm ships the IMS CC 1.3 XML schemas, so the
tests (tests/test_course_cartridge.py) check the specification's rules themselves: schema and
version, namespaces, unique identifiers, every referenced resource present in the zip.
"""
from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from lxml import etree

from scripts.core.errors import BuildError

CP = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
LOM = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"
WL = "http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3"
DT = "http://www.imsglobal.org/xsd/imsccv1p3/imsdt_v1p3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROFILE = "http://www.imsglobal.org/profile/cc/ccv1p3/"
SCHEMA_LOCATIONS = {
    CP: PROFILE + "ccv1p3_imscp_v1p2_v1p0.xsd",
    LOM: PROFILE + "LOM/ccv1p3_lommanifest_v1p0.xsd",
    WL: PROFILE + "ccv1p3_imswl_v1p3.xsd",
    DT: PROFILE + "ccv1p3_imsdt_v1p3.xsd",
}
WEBLINK, DISCUSSION, WEBCONTENT = "imswl_xmlv1p3", "imsdt_xmlv1p3", "webcontent"


def check_site_url(url: str | None, where: Path) -> str:
    """The edition's address, or a BuildError that says how to give it."""
    if not url:
        raise BuildError(where, None, "the course's Common Cartridge links every item to its paragraph on the "
                         "edition's web address, and none is set",
                         "add `site_url: https://…/` to mkdocs.yml (the address the site is published at), or run "
                         "./site.sh course FILE --site-url https://…/ ; or --no-cartridge to skip the cartridge")
    if not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?/", url):
        raise BuildError(where, None, f"site_url {url!r} is not a full http(s) address ending in '/'",
                         "write it as https://reader.example.edu/revolution/")
    return url


def item_url(site_url: str, item: dict) -> str:
    """``site_url`` + the item's page as built (``.md`` -> ``.html``) + its first paragraph's anchor."""
    url = site_url + item["page"][:-3] + ".html"
    return url + (f"#{item['anchor']}" if item.get("anchor") else "")


def item_label(item: dict) -> str:
    if item.get("printed_pages"):
        return f"{item['title']}, {item['printed_pages']} ({item['span']})"
    return f"{item['title']}, {item['span']}" if item.get("span") else item["title"]


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _located(tag: str, ns: str) -> etree._Element:
    root = etree.Element(f"{{{ns}}}{tag}", nsmap={None: ns, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{ns} {SCHEMA_LOCATIONS[ns]}")
    return root


def weblink_xml(title: str, url: str) -> bytes:
    root = _located("webLink", WL)
    etree.SubElement(root, f"{{{WL}}}title").text = title
    etree.SubElement(root, f"{{{WL}}}url", href=url, target="_blank")
    return _xml(root)


def topic_xml(title: str, question: str) -> bytes:
    root = _located("topic", DT)
    etree.SubElement(root, f"{{{DT}}}title").text = title
    etree.SubElement(root, f"{{{DT}}}text", texttype="text/html").text = f"<p>{html.escape(question)}</p>"
    return _xml(root)


def page_html(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"</head><body><h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n").encode("utf-8")


def paragraphs(text: str) -> str:
    return "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def syllabus_body(course: dict, site_url: str) -> str:
    """The syllabus as plain HTML: weeks, each item linked to its paragraph, notes and questions."""
    out = [paragraphs(course.get("introduction", ""))]
    for n, week in enumerate(course["weeks"], 1):
        out.append(f"<h2>Week {n}: {html.escape(week['title'])}</h2><ul>")
        for i in week["items"]:
            item = course["items"][i]
            note = f"<br><em>{html.escape(item['note'])}</em>" if item.get("note") else ""
            out.append(f'<li><a href="{html.escape(item_url(site_url, item))}">{html.escape(item_label(item))}</a>'
                       f" — {item['words']:,} words, about {item['minutes']} min{note}</li>")
        out.append("</ul>")
        if week.get("questions"):
            out.append("<p><strong>Questions for discussion</strong></p><ol>"
                       + "".join(f"<li>{html.escape(q)}</li>" for q in week["questions"]) + "</ol>")
    return "\n".join(out)


def cartridge_files(course: dict, site_url: str) -> dict[str, bytes]:
    """Every file of the cartridge, ``imsmanifest.xml`` included, by its path in the zip."""
    files: dict[str, bytes] = {}
    manifest = etree.Element(f"{{{CP}}}manifest", nsmap={None: CP, "lomimscc": LOM, "xsi": XSI},
                             identifier=f"course-{course['id']}")
    manifest.set(f"{{{XSI}}}schemaLocation", " ".join(f"{ns} {SCHEMA_LOCATIONS[ns]}" for ns in (CP, LOM)))
    metadata = etree.SubElement(manifest, f"{{{CP}}}metadata")
    etree.SubElement(metadata, f"{{{CP}}}schema").text = "IMS Common Cartridge"
    etree.SubElement(metadata, f"{{{CP}}}schemaversion").text = "1.3.0"
    general = etree.SubElement(etree.SubElement(metadata, f"{{{LOM}}}lom"), f"{{{LOM}}}general")
    etree.SubElement(etree.SubElement(general, f"{{{LOM}}}title"), f"{{{LOM}}}string", language="en").text = course["title"]
    org = etree.SubElement(etree.SubElement(manifest, f"{{{CP}}}organizations"), f"{{{CP}}}organization",
                           identifier="org", structure="rooted-hierarchy")
    root_item = etree.SubElement(org, f"{{{CP}}}item", identifier="root")
    resources = etree.SubElement(manifest, f"{{{CP}}}resources")

    def add(parent, ident: str, title: str, kind: str, path: str, data: bytes) -> None:
        item = etree.SubElement(parent, f"{{{CP}}}item", identifier=f"item-{ident}", identifierref=f"res-{ident}")
        etree.SubElement(item, f"{{{CP}}}title").text = title
        attrs = {"identifier": f"res-{ident}", "type": kind}
        if kind == WEBCONTENT:
            attrs["href"] = path
        res = etree.SubElement(resources, f"{{{CP}}}resource", **attrs)
        etree.SubElement(res, f"{{{CP}}}file", href=path)
        files[path] = data

    add(root_item, "syllabus", "Syllabus", WEBCONTENT, "pages/syllabus.html",
        page_html(course["title"], syllabus_body(course, site_url)))
    for n, week in enumerate(course["weeks"], 1):
        module = etree.SubElement(root_item, f"{{{CP}}}item", identifier=f"week-{n}")
        etree.SubElement(module, f"{{{CP}}}title").text = f"Week {n}: {week['title']}"
        for i in week["items"]:
            item = course["items"][i]
            add(module, f"w{n}-link-{i + 1}", item_label(item), WEBLINK, f"links/w{n}-link-{i + 1}.xml",
                weblink_xml(item_label(item), item_url(site_url, item)))
        if week.get("notes"):
            add(module, f"w{n}-notes", "Instructor's notes", WEBCONTENT, f"pages/week-{n}-notes.html",
                page_html(f"Week {n}: instructor's notes", paragraphs(week["notes"])))
        for q, question in enumerate(week.get("questions", []), 1):
            title = f"Week {n}, question {q}"
            add(module, f"w{n}-topic-{q}", title, DISCUSSION, f"topics/w{n}-topic-{q}.xml", topic_xml(title, question))
    files = {"imsmanifest.xml": _xml(manifest), **files}
    return files


def write_cartridge(course: dict, site_url: str, target: Path) -> Path:
    """``target`` (``<id>.imscc``): a zip with imsmanifest.xml at its root."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in cartridge_files(course, site_url).items():
            zf.writestr(path, data)
    return target
