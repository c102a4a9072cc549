"""schema.org JSON-LD for the core's content types, so that a loket's pages are findable."""

from __future__ import annotations

from typing import Any

CONTEXT = "https://schema.org"


def linked_data(content_type: str, item: dict[str, Any]) -> dict[str, Any] | None:
    if content_type == "page":
        return {"@context": CONTEXT, "@type": "WebPage", "name": item["title"], "description": item.get("summary") or None, "inLanguage": "nl"}
    if content_type == "route":
        program: dict[str, Any] = {
            "@context": CONTEXT,
            "@type": "EducationalOccupationalProgram",
            "name": item["title"],
            "description": item.get("summary") or None,
            "inLanguage": "nl",
        }
        if item.get("durationMonths"):
            program["timeToComplete"] = f"P{item['durationMonths']}M"
        if item.get("costEuros") is not None:
            program["offers"] = {"@type": "Offer", "price": item["costEuros"], "priceCurrency": "EUR"}
        if item.get("onderwijsloketUrl"):
            program["sameAs"] = item["onderwijsloketUrl"]
        return program
    if content_type == "faq":
        return {
            "@context": CONTEXT,
            "@type": "Question",
            "name": item["question"],
            "acceptedAnswer": {"@type": "Answer", "text": item.get("answerHtml", "")},
        }
    return None
