"""Every Dutch text of the screens (the editor, and the core modules' own screens), in one catalogue, so English can follow."""

from __future__ import annotations

from typing import Any

NL: dict[str, str] = {
    "app.name": "Loket beheer",
    "skip": "Direct naar de inhoud",
    "nav.dashboard": "Overzicht",
    "nav.content": "Inhoud",
    "nav.switch": "Ander loket",
    "nav.logout": "Uitloggen",
    "nav.logged_in_as": "Ingelogd als {name}",
    "login.title": "Inloggen",
    "login.username": "Gebruikersnaam",
    "login.password": "Wachtwoord",
    "login.submit": "Inloggen",
    "login.failed": "Onbekende gebruikersnaam of onjuist wachtwoord.",
    "login.throttled": "Te veel mislukte pogingen. Probeer het over {seconds} seconden opnieuw.",
    "login.no_lokets": "Je hebt nog geen rol in een loket. Vraag een beheerder om je toe te voegen.",
    "login.expired": "Je sessie is verlopen. Log opnieuw in.",
    "logout.done": "Je bent uitgelogd.",
    "login.forgot": "Wachtwoord vergeten?",
    "password.sent": "Als er een e-mailadres bij dit account hoort, hebben we een link gestuurd. Die werkt één uur.",
    "password.invalid_link": "Deze link werkt niet (meer): hij is verlopen of al gebruikt. Vraag een nieuwe aan.",
    "password.mismatch": "De twee wachtwoorden zijn niet gelijk.",
    "password.too_short": "Een wachtwoord heeft minstens 10 tekens.",
    "password.changed": "Je wachtwoord is gewijzigd. Log in met je nieuwe wachtwoord.",
    "csrf.failed": "Dit formulier is verlopen of komt niet van deze site. Laad de pagina opnieuw en probeer het nog eens.",
    "error.403": "Je hebt geen toegang tot deze pagina.",
    "error.404": "Deze pagina bestaat niet (meer).",
    "error.title": "Er ging iets mis",
    "dashboard.title": "{loket}",
    "dashboard.plugins": "Ingeschakelde onderdelen",
    "dashboard.no_plugins": "Dit loket gebruikt nog geen extra onderdelen.",
    "dashboard.since": "sinds {date}",
    "dashboard.recent": "Recent gewijzigd",
    "dashboard.scheduled": "Gepland",
    "dashboard.questions": "Open helpdeskvragen",
    "dashboard.awaiting": "Wacht op goedkeuring",
    "dashboard.nothing": "Niets.",
    "content.new": "Nieuw: {label}",
    "content.edit": "{label} bewerken",
    "content.search": "Zoeken op titel",
    "content.filter": "Filteren",
    "content.status": "Status",
    "content.status.all": "Alle",
    "content.status.draft": "Concept",
    "content.status.published": "Gepubliceerd",
    "content.status.unpublished": "Offline gehaald",
    "content.status.withdrawn": "Verwijderd",
    "content.sort": "Sorteren",
    "content.updated": "Gewijzigd",
    "content.none": "Geen items gevonden.",
    "content.save": "Opslaan",
    "content.publish": "Publiceren",
    "content.unpublish": "Offline halen",
    "content.withdraw": "Verwijderen",
    "content.schedule": "Inplannen",
    "content.publish_at": "Publiceren op",
    "content.unpublish_at": "Offline halen op",
    "content.history": "Geschiedenis",
    "content.preview": "Voorbeeld zoals de API het levert",
    "content.saved": "Opgeslagen.",
    "content.published": "Gepubliceerd.",
    "content.unpublished": "Offline gehaald.",
    "content.withdrawn": "Verwijderd. De geschiedenis blijft bewaard.",
    "content.scheduled": "Ingepland.",
    "content.restored": "Versie {version} is teruggezet als nieuwe versie.",
    "content.errors": "Er {count_text} in het formulier:",
    "content.error_one": "staat 1 fout",
    "content.error_many": "staan {count} fouten",
    "content.conflict": "Iemand anders heeft dit item gewijzigd nadat je het opende. Niets is opgeslagen en niets is verloren: hieronder staat jouw versie naast de huidige.",
    "content.conflict.yours": "Jouw versie",
    "content.conflict.theirs": "Huidige versie ({actor}, versie {version})",
    "content.conflict.again": "Mijn versie toch opslaan",
    "content.page": "Pagina {page} van {pages}",
    "content.previous": "Vorige",
    "content.next": "Volgende",
    "approval.title": "Goedkeuring",
    "approval.needed": "In dit loket keurt een tweede redacteur of beheerder dit soort inhoud goed voordat het gepubliceerd wordt.",
    "approval.pending": "Wacht op goedkeuring.",
    "approval.approved": "Goedgekeurd: klaar om te publiceren.",
    "approval.rejected": "Afgewezen",
    "approval.comment": "Opmerking",
    "approval.submit": "Ter goedkeuring aanbieden",
    "approval.approve": "Goedkeuren",
    "approval.reject": "Afwijzen",
    "approval.submitted": "Aangeboden ter goedkeuring.",
    "lock.other": "{holder} bewerkt dit item (tot {until}). Je kunt kijken; sla je toch op, dan wordt een wijziging van {holder} niet overschreven: je ziet dan beide versies.",
    "lock.take_over": "Bewerken overnemen",
    "lock.taken_over": "Je bewerkt dit item nu. Dat is vastgelegd.",
    "history.title": "Geschiedenis van {title}",
    "history.compare": "Vergelijken",
    "history.from": "Van versie",
    "history.to": "Naar versie",
    "history.restore": "Deze versie terugzetten",
    "history.version": "Versie",
    "history.what": "Wat",
    "history.when": "Wanneer",
    "history.who": "Wie",
    "history.why": "Waarom",
    "field.list_hint": "Meerdere waarden scheiden met een komma.",
    "field.steps_hint": "Eén stap per regel: titel | beschrijving.",
    "field.moment_hint": "Tijd in Nederland.",
    "field.yes": "Ja",
}


def t(key: str, **values: Any) -> str:
    """The Dutch text for ``key``, with ``values`` filled in."""
    text = NL.get(key, key)
    return text.format(**values) if values else text


#: The validation messages of the schemas (English, as the API gives them) as the screens show them.
REASONS = (
    (r"^missing data for required field$", "is verplicht"),
    (r"^length must be between (\d+) and (\d+)$", r"moet \1 tot \2 tekens lang zijn"),
    (r"^shorter than minimum length (\d+)$", r"moet minstens \1 tekens lang zijn"),
    (r"^longer than maximum length (\d+)$", r"mag hoogstens \1 tekens lang zijn"),
    (r"^must be one of: (.*)$", r"kies uit: \1"),
    (r"^not a valid url$", "is geen geldige link (begin met https://)"),
    (r"^not a valid email address$", "is geen geldig e-mailadres"),
    (r"^not a valid integer$", "is geen geheel getal"),
    (r"^not a valid datetime$", "is geen geldige datum en tijd"),
    (r"^must be greater than or equal to (\S+)(?: and less than or equal to (\S+))?$", r"moet minstens \1 zijn"),
    (r"^unknown key$", "is geen veld van dit soort inhoud"),
    (r"^use lowercase letters, digits and single hyphens.*$", "gebruik kleine letters, cijfers en losse streepjes, bijvoorbeeld 'zij-instroom-po'"),
    (r"^is already used by another (\w+) in this loket$", "is al in gebruik in dit loket"),
    (r"^must be after startsAt$", "moet na het begin liggen"),
    (r"^an activity on site needs a place$", "vul de plaats in voor een activiteit op locatie"),
    (r"^an online activity needs a link$", "vul de link in voor een online activiteit"),
    (r"^must not be blank$", "mag niet leeg zijn"),
)


def dutch_reason(reason: str) -> str:
    """A schema's validation message in Dutch (the message itself when no translation is known)."""
    import re

    for pattern, dutch in REASONS:
        if re.match(pattern, reason):
            return re.sub(pattern, dutch, reason)
    return reason
