"""The course's IMS Common Cartridge 1.3 (``./site.sh course`` -> dist/<id>.imscc), unzipped and checked.

No registry package ships the IMS CC 1.3 XML schemas, so the specification's rules are checked here:
the manifest's schema and version, the CC 1.3 namespaces of the manifest, web links and discussion
topics, unique identifiers, every item's resource present and every resource's file in the zip (and
no stray file). Then the content: one module per week with the course file's items in order, each
web link resolving to a paragraph anchor that exists in the built site, the questions as topics.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from lxml import etree

from scripts.site.course_cartridge import CP, DT, LOM, WL
from tests.test_course_pack import CARTRIDGE_SITE_URL, COURSE, course_data, course_pack  # noqa: F401 (fixtures)

NS = {"cp": CP, "wl": WL, "dt": DT, "lom": LOM}


def open_cartridge(course_pack: dict[str, Path]) -> tuple[zipfile.ZipFile, etree._Element]:
    zf = zipfile.ZipFile(course_pack["cartridge"])
    return zf, etree.fromstring(zf.read("imsmanifest.xml"))


def test_manifest_follows_the_cc13_rules(course_pack: dict[str, Path]) -> None:
    zf, manifest = open_cartridge(course_pack)
    assert manifest.tag == f"{{{CP}}}manifest"
    assert manifest.findtext("cp:metadata/cp:schema", namespaces=NS) == "IMS Common Cartridge"
    assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=NS) == "1.3.0"
    assert manifest.find("cp:metadata/lom:lom/lom:general/lom:title/lom:string", NS) is not None
    ids = [el.get("identifier") for el in manifest.iter() if el.get("identifier") is not None]
    assert len(ids) == len(set(ids)), "identifiers must be unique in the manifest"
    orgs = manifest.findall("cp:organizations/cp:organization", NS)
    assert len(orgs) == 1 and orgs[0].get("structure") == "rooted-hierarchy"
    resources = {r.get("identifier"): r for r in manifest.findall("cp:resources/cp:resource", NS)}
    refs = [i.get("identifierref") for i in manifest.iter(f"{{{CP}}}item") if i.get("identifierref")]
    assert set(refs) == set(resources), "every item names a resource, and every resource is used"
    names = set(zf.namelist())
    listed = set()
    for res in resources.values():
        assert res.get("type") in {"webcontent", "imswl_xmlv1p3", "imsdt_xmlv1p3"}
        files = [f.get("href") for f in res.findall("cp:file", NS)]
        assert files and all(f in names for f in files), f"{res.get('identifier')}: a file is not in the zip"
        if res.get("type") == "webcontent":
            assert res.get("href") in files
        listed |= set(files)
    assert names - listed == {"imsmanifest.xml"}, "a file of the zip is not listed by any resource"


def test_modules_are_the_weeks_and_links_reach_paragraphs(course_pack: dict[str, Path], built_site: Path,
                                                          course_data: dict) -> None:
    zf, manifest = open_cartridge(course_pack)
    spec = yaml.safe_load(COURSE.read_text(encoding="utf-8"))
    resources = {r.get("identifier"): r for r in manifest.findall("cp:resources/cp:resource", NS)}
    modules = manifest.findall("cp:organizations/cp:organization/cp:item/cp:item[cp:item]", NS)
    assert [m.findtext("cp:title", namespaces=NS) for m in modules] == \
        [f"Week {n}: {w['title']}" for n, w in enumerate(spec["weeks"], 1)]
    checked = 0
    for module, week in zip(modules, spec["weeks"]):
        kinds: dict[str, list[etree._Element]] = {}
        for item in module.findall("cp:item", NS):
            res = resources[item.get("identifierref")]
            kinds.setdefault(res.get("type"), []).append(res)
        links = kinds.get("imswl_xmlv1p3", [])
        assert len(links) == len(week["items"]), week["title"]
        for res, spec_item in zip(links, week["items"]):
            link = etree.fromstring(zf.read(res.find("cp:file", NS).get("href")))
            assert link.tag == f"{{{WL}}}webLink" and link.findtext("wl:title", namespaces=NS)
            href = link.find("wl:url", NS).get("href")
            assert href.startswith(CARTRIDGE_SITE_URL), href
            path, _, anchor = href[len(CARTRIDGE_SITE_URL):].partition("#")
            page = built_site / path
            assert page.is_file(), f"{href}: no such page in the built site"
            target = spec_item.get("reading") or f"essays/{spec_item['essay']}"
            assert target.split("/")[-1] in path, f"{href} is not {target}"
            if spec_item.get("paragraphs") or spec_item.get("pages"):
                assert anchor, f"{href}: a ranged item links its first paragraph"
            if anchor:
                soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
                assert soup.find(id=anchor) is not None, f"{href}: no paragraph #{anchor} on the page"
            checked += 1
        topics = [etree.fromstring(zf.read(r.find("cp:file", NS).get("href"))) for r in kinds.get("imsdt_xmlv1p3", [])]
        assert [t.tag for t in topics] == [f"{{{DT}}}topic"] * len(week.get("questions", []))
        for topic, question in zip(topics, week.get("questions", [])):
            text = BeautifulSoup(topic.findtext("dt:text", namespaces=NS), "html.parser").get_text()
            assert text == question and topic.find("dt:text", NS).get("texttype") == "text/html"
        notes = kinds.get("webcontent", [])
        assert len(notes) == (1 if week.get("notes") else 0)
        for res in notes:
            assert week["notes"] in BeautifulSoup(zf.read(res.get("href")), "html.parser").get_text(" ")
    assert checked == len(course_data["items"])


def test_syllabus_page_links_every_item(course_pack: dict[str, Path], course_data: dict) -> None:
    zf, _manifest = open_cartridge(course_pack)
    soup = BeautifulSoup(zf.read("pages/syllabus.html"), "html.parser")
    assert soup.h1.get_text() == course_data["title"]
    hrefs = [a["href"] for a in soup.select("li a")]
    assert len(hrefs) == len(course_data["items"]) and all(h.startswith(CARTRIDGE_SITE_URL) for h in hrefs)
    assert len(soup.select("h2")) == len(course_data["weeks"])


def test_a_course_without_site_url_stops_before_writing(monkeypatch, capsys, tmp_path: Path) -> None:
    """No address for the links: the project's error (file, what to do), nothing in dist/."""
    from scripts.site import course_pack as pack

    monkeypatch.setattr(pack, "site_url_of", lambda _yml: None)
    monkeypatch.setattr(pack, "ROOT", tmp_path)
    assert pack.main([str(COURSE), "--no-pipeline"]) == 1
    err = capsys.readouterr().err
    assert "mkdocs.yml: error:" in err and "site_url" in err and "--no-cartridge" in err
    assert not (tmp_path / "dist").exists()
    assert pack.main([str(COURSE), "--no-pipeline", "--site-url", "reader.example.edu"]) == 1
    assert "not a full http(s) address" in capsys.readouterr().err


def test_a_pack_is_linked_only_while_the_course_is_unchanged(tmp_path: Path) -> None:
    """dist/<id>.pack.json names the files and what they were made from; a changed course unlinks them."""
    import json

    from scripts.course.syllabi import (Course, CourseFile, Target, course_fingerprint, course_record,
                                        downloads_markdown, pack_downloads)

    spec = CourseFile.model_validate({"title": "T", "weeks": [{"title": "W", "items": [{"reading": "goldman"}]}]})
    course = Course("t", tmp_path / "t.yml", spec, [[Target("readings/goldman/index.md", "Goldman", 1000)]])
    (tmp_path / "t-reader.pdf").write_bytes(b"%PDF")
    (tmp_path / "t.epub").write_bytes(b"PK")
    record = {"course": course_fingerprint(course_record(course)), "files": ["t-reader.pdf", "t.epub", "t.imscc"]}
    (tmp_path / "t.pack.json").write_text(json.dumps(record))
    assert pack_downloads(tmp_path, course) == [("t-reader.pdf", tmp_path / "t-reader.pdf"),
                                                ("t.epub", tmp_path / "t.epub")]   # only files there
    course.downloads = pack_downloads(tmp_path, course)
    text = "\n".join(downloads_markdown(course, course.page))
    assert "[The readings as an EPUB 3 (for e-readers, phones and tablets)](packs/t.epub) — 1 KB" in text
    course.targets[0][0].words = 1001                                   # the text changed since the pack
    assert pack_downloads(tmp_path, course) == []
