"""Demo vacancies for the two demo lokets of ``core/demo/loket.toml``: a few hundred, made up but
realistic, the same on every run (seeded random).

Voor de Klas (po, province of Utrecht) and VOTA (vo, Twente and the Achterhoek) get vacancies of
fictional school boards (bevoegd-gezag numbers and BRIN codes start with ``99``, websites end in
``.example``, as in the core's demo) at real places with their postcode areas: mostly teachers,
also the other staff the source document asks lokets to show. The first boards and schools are
those of the core's demo DUO files (``core/demo/scholen-*.csv``), so vacancies and organisations
meet.

``seed_demo`` creates them through the ordinary commands — some stay drafts, a few are filled or
expire — so their history is real history. ``generate`` is also what the benchmarks
(``bench/search.py``, ``bench/reads.py``, ``bench/scale.py``) build their vacancies from.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from core.content.service import slugify
from core.envelope import acting

from .lifecycle import TYPE, fill


@dataclass(frozen=True)
class School:
    brin: str
    name: str
    place: str


@dataclass(frozen=True)
class Board:
    number: str
    name: str
    domain: str
    schools: tuple[School, ...]


def _board(number: str, name: str, domain: str, *schools: tuple[str, str, str]) -> Board:
    return Board(number, name, domain, tuple(School(*school) for school in schools))


#: Place → (region slug, lowest and highest four digits of its postcodes, telephone area code).
PLACES = {
    "Utrecht": ("po-utrecht-stad", 3511, 3585, "030"),
    "Nieuwegein": ("po-utrecht-stad", 3431, 3439, "030"),
    "Houten": ("po-utrecht-stad", 3991, 3995, "030"),
    "IJsselstein": ("po-utrecht-stad", 3401, 3404, "030"),
    "Vianen": ("po-utrecht-stad", 4131, 4133, "0347"),
    "Maarssen": ("po-utrecht-stad", 3601, 3608, "0346"),
    "Bunnik": ("po-utrecht-stad", 3981, 3984, "030"),
    "Woerden": ("po-utrecht-west", 3441, 3449, "0348"),
    "Montfoort": ("po-utrecht-west", 3417, 3417, "0348"),
    "Oudewater": ("po-utrecht-west", 3421, 3421, "0348"),
    "Mijdrecht": ("po-utrecht-west", 3641, 3642, "0297"),
    "Breukelen": ("po-utrecht-west", 3621, 3621, "0346"),
    "Amersfoort": ("po-utrecht-oost", 3811, 3829, "033"),
    "Zeist": ("po-utrecht-oost", 3701, 3709, "030"),
    "Veenendaal": ("po-utrecht-oost", 3901, 3907, "0318"),
    "Doorn": ("po-utrecht-oost", 3941, 3941, "0343"),
    "Driebergen": ("po-utrecht-oost", 3971, 3972, "0343"),
    "Leusden": ("po-utrecht-oost", 3831, 3833, "033"),
    "Soest": ("po-utrecht-oost", 3761, 3768, "035"),
    "Rhenen": ("po-utrecht-oost", 3911, 3911, "0317"),
    "Wijk bij Duurstede": ("po-utrecht-oost", 3961, 3962, "0343"),
    "Enschede": ("vo-twente-achterhoek", 7511, 7548, "053"),
    "Hengelo": ("vo-twente-achterhoek", 7551, 7559, "074"),
    "Oldenzaal": ("vo-twente-achterhoek", 7571, 7577, "0541"),
    "Almelo": ("vo-twente-achterhoek", 7601, 7609, "0546"),
    "Borne": ("vo-twente-achterhoek", 7621, 7623, "074"),
    "Haaksbergen": ("vo-twente-achterhoek", 7481, 7483, "053"),
    "Rijssen": ("vo-twente-achterhoek", 7461, 7463, "0548"),
    "Goor": ("vo-twente-achterhoek", 7471, 7472, "0547"),
    "Doetinchem": ("vo-twente-achterhoek", 7001, 7009, "0314"),
    "Winterswijk": ("vo-twente-achterhoek", 7101, 7109, "0543"),
    "Groenlo": ("vo-twente-achterhoek", 7141, 7142, "0544"),
    "Lichtenvoorde": ("vo-twente-achterhoek", 7131, 7132, "0544"),
    "Eibergen": ("vo-twente-achterhoek", 7151, 7152, "0545"),
    "Neede": ("vo-twente-achterhoek", 7161, 7161, "0545"),
}

PO_BOARDS = (
    # The two boards of the core's demo file, with their schools.
    _board("99001", "Stichting Openbaar Primair Onderwijs Stichtse Lanen", "stichtselanen",
           ("99XA00", "Openbare Basisschool De Regenboog", "Utrecht"), ("99XA01", "De Regenboog, locatie Leidsche Rijn", "Utrecht"),
           ("99XB00", "Obs Het Vogelnest", "Nieuwegein"), ("99XC00", "Openbare Basisschool De Wissel", "Houten")),
    _board("99002", "Stichting Katholiek en Christelijk Onderwijs Eemland-Heuvelrug", "kco-eemland",
           ("99XD00", "Sint-Jozefschool", "Amersfoort"), ("99XE00", "Christelijke Basisschool De Akker", "Zeist"),
           ("99XF00", "Basisschool De Zonnewijzer", "Veenendaal"), ("99XG00", "Kindcentrum Het Baken", "IJsselstein")),
    _board("99003", "Stichting Primair Onderwijs Lek en IJssel", "po-lekenijssel",
           ("99PA00", "Basisschool De Fontein", "Vianen"), ("99PB00", "Obs Het Kompas", "IJsselstein"), ("99PC00", "De Wegwijzer", "Nieuwegein")),
    _board("99004", "Stichting Groene Hart Scholen", "groenehartscholen",
           ("99PD00", "Basisschool De Klimop", "Woerden"), ("99PE00", "Christelijke Basisschool Het Zonnelied", "Montfoort"),
           ("99PF00", "Obs De Linde", "Oudewater"), ("99PG00", "Kindcentrum De Vlinderboom", "Mijdrecht")),
    _board("99005", "Stichting Katholiek Basisonderwijs Utrecht", "kbo-utrecht",
           ("99PH00", "Sint-Maartenschool", "Utrecht"), ("99PJ00", "Basisschool De Piramide", "Utrecht"), ("99PK00", "Het Octaaf", "Maarssen")),
    _board("99006", "Stichting Onderwijs Heuvelrug", "onderwijsheuvelrug",
           ("99PL00", "Jenaplanschool De Boomgaard", "Driebergen"), ("99PM00", "Obs De Kameleon", "Doorn"),
           ("99PN00", "Basisschool Het Palet", "Rhenen"), ("99PP00", "De Sterrenwachter", "Wijk bij Duurstede")),
    _board("99007", "Vereniging Protestants-Christelijk Onderwijs Amersfoort", "pco-amersfoort",
           ("99PQ00", "Koningin Julianaschool", "Amersfoort"), ("99PR00", "De Ark", "Leusden"), ("99PS00", "Willem-Alexanderschool", "Soest")),
    _board("99008", "Stichting Montessori- en Daltononderwijs Midden-Nederland", "mdo-midden",
           ("99PT00", "Montessorischool Kromme Rijn", "Bunnik"), ("99PU00", "Daltonschool De Toermalijn", "Zeist"),
           ("99PV00", "Montessorischool Breukelen", "Breukelen")),
)

VO_BOARDS = (
    # The three boards of the core's demo file, with their schools.
    _board("99101", "Stichting Openbaar Voortgezet Onderwijs Twente", "ovo-twente",
           ("99YA00", "Twentse Scholengemeenschap Het Lyceum", "Enschede"), ("99YA01", "Twentse Scholengemeenschap Het Lyceum, vmbo", "Enschede"),
           ("99YB00", "Hengelo College De Spindel", "Hengelo")),
    _board("99102", "Stichting Bijzonder Voortgezet Onderwijs Oost-Twente", "bvo-oosttwente",
           ("99YC00", "Sint-Plechelmus College", "Oldenzaal"), ("99YD00", "Christelijk College De Wierden", "Almelo")),
    _board("99103", "Vereniging Voortgezet Onderwijs Achterhoek", "vvo-achterhoek",
           ("99YE00", "Achterhoeks Lyceum Het Slingeland", "Doetinchem"), ("99YF00", "Praktijkschool De Kei", "Winterswijk")),
    _board("99104", "Stichting Scholengroep Midden-Twente", "sg-middentwente",
           ("99VA00", "Het Vlier College", "Borne"), ("99VB00", "Essenhof Lyceum", "Rijssen"), ("99VC00", "Scholengemeenschap De Hof van Twente", "Goor")),
    _board("99105", "Stichting Voortgezet Onderwijs Berkelland", "vo-berkelland",
           ("99VD00", "Berkelland College", "Eibergen"), ("99VE00", "Berkelland College, locatie Neede", "Neede"),
           ("99VF00", "Scholengemeenschap De Bolt", "Haaksbergen")),
    _board("99106", "Stichting Katholiek Voortgezet Onderwijs Oost-Achterhoek", "kvo-oostachterhoek",
           ("99VG00", "College Sint-Calixtus", "Groenlo"), ("99VH00", "Het Hamaland College", "Lichtenvoorde"),
           ("99VJ00", "Vakcollege De Esch", "Enschede")),
)

#: Per demo loket: its sector, boards, how many vacancies, and the prefix of the boards' own ids.
DEMO_LOKETS = {
    "voordeklas": {"sector": "po", "boards": PO_BOARDS, "count": 180, "prefix": "VDK"},
    "vota": {"sector": "vo", "boards": VO_BOARDS, "count": 120, "prefix": "VOTA"},
}

#: Relative weights of the functions per sector (PROFESSIONS of the core).
FUNCTIONS = {
    "po": {"leraar": 55, "onderwijsassistent": 12, "vakleerkracht": 7, "intern-begeleider": 6, "schoolleider": 5,
           "lerarenondersteuner": 4, "pedagogisch-medewerker": 4, "conciërge": 4, "administratief-medewerker": 3},
    "vo": {"leraar": 68, "lerarenondersteuner": 6, "onderwijsassistent": 5, "instructeur": 5, "schoolleider": 5,
           "conciërge": 4, "administratief-medewerker": 4},
}
#: vo subjects → (relative weight, the word in a title).
SUBJECTS = {
    "wiskunde": (14, "wiskunde"), "nederlands": (12, "Nederlands"), "engels": (10, "Engels"), "natuurkunde": (7, "natuurkunde"),
    "biologie": (6, "biologie"), "duits": (6, "Duits"), "scheikunde": (5, "scheikunde"), "frans": (5, "Frans"),
    "geschiedenis": (5, "geschiedenis"), "economie": (5, "economie"), "lichamelijke opvoeding": (5, "lichamelijke opvoeding"),
    "aardrijkskunde": (4, "aardrijkskunde"), "informatica": (4, "informatica"), "techniek": (3, "techniek"),
    "maatschappijleer": (2, "maatschappijleer"), "beeldende vorming": (2, "beeldende vorming"),
}
#: Subjects a teacher of it is called after in one word (wiskundedocent).
COMPOUND_SUBJECTS = ("wiskunde", "biologie", "economie", "geschiedenis", "scheikunde", "natuurkunde", "informatica", "aardrijkskunde")
GROUPS = ("1-2", "3", "4", "5", "6", "7", "8", "3/4", "5/6", "7/8")
LEVELS = ("de onderbouw van havo en vwo", "de bovenbouw van het vwo", "vmbo-basis en -kader", "vmbo-tl", "havo 4 en 5",
          "alle leerjaren van het vmbo", "het gymnasium", "de brugklassen")
#: Indicative gross monthly pay (full time) per CAO scale: lowest and highest step.
SALARIES = {
    "L10": (3561, 5559), "L11": (3646, 6043), "L12": (3723, 6428), "L14": (4379, 7287),
    "LB": (3563, 5567), "LC": (3654, 6449), "LD": (3736, 7222),
    "5": (2545, 3141), "6": (2608, 3391), "7": (2706, 3742), "8": (2943, 4190), "9": (3136, 4797), "12": (4101, 6430),
}
HOURS = {"teaching": ((8, 16), (16, 24), (20, 28), (24, 32), (32, 40), (40, 40), (24, 24), (16, 16)),
         "support": ((16, 24), (20, 32), (24, 36), (32, 40), (36, 40)),
         "lead": ((32, 40), (36, 40), (40, 40))}
FIRST_NAMES = ("Anouk", "Bram", "Daan", "Eva", "Fleur", "Hanneke", "Ingrid", "Jeroen", "Karin", "Lars", "Marieke", "Niels", "Petra",
               "Ruud", "Sanne", "Thijs", "Wendy", "Yvonne", "Ahmed", "Fatima", "Mehmet", "Priya", "Joost", "Esther", "Gerrit", "Linda")
LAST_NAMES = ("de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
              "Peters", "Hendriks", "van Dijk", "Kaya", "Yilmaz", "El Amrani", "Wolters", "Nijhuis", "Oude Egberink", "Lammertink",
              "Klein Gunnewiek", "ter Horst", "Veldhuis", "van Leeuwen", "Verhoeven")
CONTACT_ROLES = ("directeur", "adjunct-directeur", "HR-adviseur", "teamleider", "intern begeleider", "recruiter")
SUBSTITUTION_REASONS = ("zwangerschapsverlof", "ouderschapsverlof", "langdurige ziekte", "een sabbatical", "studieverlof")
POOL_TITLES = {
    "leraar": ("Invalpool: leerkrachten gezocht", "Invalleerkracht voor onze invalpool", "Leerkracht invalpool"),
    "onderwijsassistent": ("Invalpool: onderwijsassistenten gezocht", "Onderwijsassistent invalpool"),
}
#: Relative weights of what becomes of a demo vacancy.
FATES = {"published": 88, "draft": 5, "filled": 4, "expired": 3}


def generate(loket: str, count: int | None = None, seed: int = 2026, today: date | None = None) -> list[dict[str, Any]]:
    """``count`` vacancies for demo loket ``loket`` in the API's input form (camelCase), each with
    one key no schema knows: ``"_fate"`` (published, draft, filled or expired). The same ``seed``
    and ``today`` give the same vacancies."""
    spec = DEMO_LOKETS[loket]
    rng = random.Random(f"{seed}/{loket}")
    today = today or date.today()
    slugs: dict[str, int] = {}
    vacancies = []
    for n in range(1, (count or spec["count"]) + 1):
        vacancy = _vacancy(rng, spec, n, today)
        base = slugify(f"{vacancy['title']} {vacancy['place']}")[:100].rstrip("-")
        slugs[base] = slugs.get(base, 0) + 1
        vacancy["slug"] = base if slugs[base] == 1 else f"{base}-{slugs[base]}"
        vacancies.append(vacancy)
    return vacancies


def seed_demo(site: Any) -> int:
    """Create the demo vacancies of each demo loket that has the plugin on and no vacancy yet, as
    ``system``, through the ordinary commands; return how many were made."""
    site.projections.catch_up()
    board = site.projection("vacatures").view
    made = 0
    for loket in site.lokets.all():
        if loket.slug not in DEMO_LOKETS or "vacatures" not in loket.plugins:
            continue
        if board.query("SELECT 1 FROM vacatures_board WHERE loket = ? LIMIT 1", (loket.slug,)):
            continue
        made += _seed_loket(site, loket.slug, generate(loket.slug))
    if made:
        site.projections.catch_up()
    return made


def _seed_loket(site: Any, loket: str, vacancies: list[dict[str, Any]]) -> int:
    approval = site.content.needs_approval(TYPE, loket)
    with acting(actor="system", loket=loket, correlation_id="demo-seed"):
        for data in vacancies:
            fate = data["_fate"]
            saved = site.content.create(TYPE, loket, {k: v for k, v in data.items() if k != "_fate"})
            if fate == "draft":
                continue
            if approval:  # a loket that asks for approval gets a queue to approve, not a board
                site.content.submit(TYPE, loket, saved.id, note="demo")
                continue
            site.content.publish(TYPE, loket, saved.id)
            if fate == "filled":
                fill(site, loket, saved.id, reason="vervuld via de demo")
            elif fate == "expired":  # its last day is today: as the tick tomorrow would
                site.content.change(TYPE, loket, saved.id, lambda vacancy: vacancy.expire())
    return len(vacancies)


# One vacancy


def _vacancy(rng: random.Random, spec: dict[str, Any], n: int, today: date) -> dict[str, Any]:
    sector = spec["sector"]
    board = rng.choice(spec["boards"])
    school = rng.choice(board.schools)
    region, low, high, area_code = PLACES[school.place]
    function = _weighted(rng, FUNCTIONS[sector])
    kind = _weighted(rng, {"regular": 75, "substitution": 20, "pool": 5}) if function in ("leraar", "onderwijsassistent") else "regular"
    if kind == "pool" and function == "leraar" and sector == "vo":
        kind = "substitution"  # vo boards keep no pools of teachers of every subject
    role = _role(rng, sector, function, school)
    hours_min, hours_max = rng.choice(HOURS[{"leraar": "teaching", "vakleerkracht": "teaching", "schoolleider": "lead"}.get(function, "support")])
    fate = _weighted(rng, FATES)
    valid_through = today if fate == "expired" else today + timedelta(days=rng.randint(3, 56))
    start, end = _period(rng, today) if kind == "substitution" else (None, None)
    if start and valid_through >= start:
        valid_through = start - timedelta(days=1)  # a substitute is found before the work starts
    contact = _contact(rng, board, area_code)
    zij_instroom = function == "leraar" and rng.random() < 0.35
    title = role["title"]
    if kind == "substitution":
        title = f"{title} – vervanging" if title.endswith(")") else f"{title} (vervanging)"
    elif kind == "pool":
        title = rng.choice(POOL_TITLES[function])
    salary_min, salary_max = SALARIES[role["scale"]]
    data = {
        "title": title,
        "summary": f"{_fte(hours_min, hours_max)} fte bij {school.name} in {school.place}",
        "description": _description(rng, sector, function, kind, role, school, board, contact, zij_instroom, start, end, valid_through),
        "sectors": [sector],
        "function": function,
        "subjects": role["subjects"],
        "kind": kind,
        "startDate": start.isoformat() if start else None,
        "endDate": end.isoformat() if end else None,
        "schoolBoard": board.number,
        "schoolBoardName": board.name,
        "school": school.brin,
        "schoolName": school.name,
        "region": region,
        "place": school.place,
        "postcode": f"{rng.randint(low, high)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}",
        "hoursMin": hours_min,
        "hoursMax": hours_max,
        "salaryScale": role["scale"],
        "salaryMin": salary_min,
        "salaryMax": salary_max,
        "zijInstroom": zij_instroom,
        "contactName": contact["name"],
        "contactEmail": contact["email"],
        "contactPhone": contact["phone"],
        "validThrough": valid_through.isoformat(),
        "externalId": f"{spec['prefix']}-{board.number}-{n:05d}",
        "_fate": fate,
    }
    if rng.random() < 0.7:
        data["applyUrl"] = f"https://werkenbij.{board.domain}.example/vacatures/{n}"
    else:
        data["applyEmail"] = f"vacatures@{board.domain}.example"
    return data


def _role(rng: random.Random, sector: str, function: str, school: School) -> dict[str, Any]:
    """Title, subjects, CAO scale and the paragraph about the work."""
    if function == "leraar":
        return _po_teacher(rng) if sector == "po" else _vo_teacher(rng)
    if function == "lerarenondersteuner":
        titles, subjects, scale, work = _support_teacher(rng, sector)
    elif function == "vakleerkracht":
        titles, subjects, scale, work = SPECIALISTS[0] if rng.random() < 0.7 else SPECIALISTS[1]
    else:
        titles, scales, work = ROLES[function]
        titles, subjects, scale = titles.get(sector) or titles["po"], [], scales.get(sector) or scales["po"]
    return {"title": rng.choice(titles), "subjects": list(subjects), "scale": scale, "work": work.format(school=school.name)}


#: The other functions: titles and CAO scale per sector (po's also for vo when vo has none), the work.
ROLES = {
    "onderwijsassistent": (
        {"po": ("Onderwijsassistent", "Onderwijsassistent onderbouw", "Onderwijsassistent voor de plusklas"),
         "vo": ("Onderwijsassistent", "Onderwijsassistent ondersteuningsteam")},
        {"po": "7"},
        "Je ondersteunt leraren in en buiten de klas: je begeleidt kleine groepjes leerlingen, geeft verlengde instructie "
        "en helpt kinderen die wat extra nodig hebben.",
    ),
    "intern-begeleider": (
        {"po": ("Intern begeleider", "Intern begeleider (IB'er)")},
        {"po": "L11"},
        "Als intern begeleider coach je leerkrachten, volg je de ontwikkeling van alle leerlingen en voer je gesprekken "
        "met ouders en externe partners.",
    ),
    "schoolleider": (
        {"po": ("Directeur", "Schoolleider", "Adjunct-directeur", "Meerscholendirecteur"),
         "vo": ("Teamleider onderbouw", "Conrector onderwijs", "Afdelingsleider vmbo")},
        {"po": "L14", "vo": "12"},
        "Je geeft leiding aan een team van leraren en ondersteuners, bewaakt de kwaliteit van het onderwijs en bouwt samen "
        "met het team aan de koers van de school.",
    ),
    "pedagogisch-medewerker": (
        {"po": ("Pedagogisch medewerker kindcentrum",)},
        {"po": "6"},
        "In ons kindcentrum werk je met peuters en kleuters, samen met de leerkrachten van groep 1-2.",
    ),
    "conciërge": (
        {"po": ("Conciërge", "Conciërge / facilitair medewerker")},
        {"po": "5"},
        "Je bent het gezicht van {school}: je ontvangt bezoekers, zorgt dat het gebouw op orde is en helpt leerlingen en "
        "collega's waar nodig.",
    ),
    "administratief-medewerker": (
        {"po": ("Administratief medewerker", "Managementassistent"), "vo": ("Leerlingadministrateur", "Administratief medewerker")},
        {"po": "6"},
        "Je houdt de leerlingadministratie bij, plant afspraken en bent een vraagbaak voor leraren.",
    ),
    "instructeur": (
        {"po": ("Praktijkinstructeur techniek", "Instructeur zorg en welzijn", "Praktijkinstructeur koken")},
        {"po": "8"},
        "Je begeleidt leerlingen in de praktijklessen en bereidt ze voor op stage en werk.",
    ),
}
#: Vakleerkrachten in po: gym (most) and music.
SPECIALISTS = (
    (("Vakleerkracht bewegingsonderwijs", "Vakleerkracht gym"), ["lichamelijke opvoeding"], "L10",
     "Je geeft de gymlessen aan alle groepen, van kleuters tot groep 8, en organiseert de sportdag."),
    (("Vakleerkracht muziek",), ["muziek"], "L10", "Je geeft muzieklessen in alle klassen en werkt met de leerkrachten aan de eindmusical."),
)


def _po_teacher(rng: random.Random) -> dict[str, Any]:
    group = rng.choice(GROUPS)
    title = rng.choice((f"Leerkracht groep {group}", f"Leraar groep {group}", f"Juf of meester voor groep {group}",
                        f"Duo-leerkracht groep {group}", "Leerkracht bovenbouw", "Leerkracht onderbouw (groep 1-2)"))
    work = rng.choice((
        f"Voor groep {group} zoeken we een leerkracht die kinderen laat groeien. Je geeft lessen in rekenen, taal, lezen "
        "en wereldoriëntatie, en je maakt ruimte voor wat de leerlingen zelf willen ontdekken.",
        f"In groep {group} zitten {rng.randint(18, 30)} leerlingen die zin hebben in een nieuwe juf of meester. Je bereidt "
        "je lessen voor met je duo-collega en bespreekt de ontwikkeling van de kinderen met de intern begeleider.",
        "Je werkt in een team van betrokken collega's en geeft les in een van onze klassen. We werken met "
        + rng.choice(("thematisch onderwijs", "coöperatief leren", "groepsdoorbrekend rekenen", "een doorgaande leerlijn lezen"))
        + " en leren graag van elkaar.",
    ))
    return {"title": title, "subjects": [], "scale": "L11" if group in ("7", "8", "7/8") and rng.random() < 0.5 else "L10", "work": work}


def _vo_teacher(rng: random.Random) -> dict[str, Any]:
    subject = _weighted(rng, {name: weight for name, (weight, _) in SUBJECTS.items()})
    word = SUBJECTS[subject][1]
    first_degree = rng.random() < 0.35
    titles = [f"Docent {word}", f"Leraar {word} ({'eerstegraads' if first_degree else 'tweedegraads'})",
              f"Docent {word} {'bovenbouw havo/vwo' if first_degree else 'onderbouw'}"]
    if subject in COMPOUND_SUBJECTS:
        titles.append(f"{word.capitalize()}docent")
    subjects = [subject]
    if subject in ("natuurkunde", "scheikunde") and rng.random() < 0.3:
        subjects = ["natuurkunde", "scheikunde"]  # nask in the vmbo
    level = rng.choice(LEVELS)
    work = rng.choice((
        f"Je geeft lessen {word} aan klassen in {level}. Je leerlingen zijn tussen de 12 en 18 jaar en jij helpt ze de "
        "stof echt te begrijpen.",
        f"Als docent {word} verzorg je zo'n {rng.randint(14, 24)} lessen per week in {level}, werk je samen in de sectie "
        f"{word} en ben je mentor van een klas.",
        f"Onze sectie {word} bestaat uit {rng.randint(3, 9)} collega's die elkaars lessen bezoeken, samen toetsen maken en "
        f"nieuwsgierig zijn naar wat leerlingen in {level} beweegt.",
    ))
    return {"title": rng.choice(titles), "subjects": subjects, "scale": "LC" if first_degree else rng.choice(("LB", "LB", "LC")), "work": work}


def _support_teacher(rng: random.Random, sector: str) -> tuple[tuple[str, ...], list[str], str, str]:
    if sector == "po":
        return (("Leraarondersteuner",), [], "8", "Je neemt onder verantwoordelijkheid van de leerkracht groepen over, geeft "
                "instructie aan kleine groepen en bereidt lessen mee voor.")
    subject = rng.choice(("natuurkunde", "scheikunde", "biologie"))
    return ((f"Technisch onderwijsassistent (TOA) {subject}", f"Lerarenondersteuner {subject}"), [subject], "8",
            f"Je bereidt de practica {subject} voor, begeleidt leerlingen bij proeven en beheert het lokaal en de materialen.")


# Texts


def _description(
    rng: random.Random, sector: str, function: str, kind: str, role: dict[str, Any], school: School, board: Board,
    contact: dict[str, str], zij_instroom: bool, start: date | None, end: date | None, valid_through: date,
) -> str:
    pupils = rng.randint(120, 480) if sector == "po" else rng.randint(500, 1800)
    parts = [
        f"**{school.name}** in {school.place} is een {rng.choice(('fijne', 'groene', 'ondernemende', 'warme', 'eigentijdse'))} "
        f"school met zo'n {pupils} leerlingen, onderdeel van {board.name}.",
        "## Wat ga je doen?",
        role["work"],
    ]
    if kind == "substitution" and start and end:
        parts.append(f"Het gaat om een vervanging wegens {rng.choice(SUBSTITUTION_REASONS)}, van {_day(start)} tot en met {_day(end)}.")
    elif kind == "pool":
        parts.append("Als invalkracht in onze invalpool val je in bij scholen van het bestuur wanneer een collega ziek is of "
                     "verlof heeft. Je krijgt een vaste aanstelling voor de pool en weet meestal een dag van tevoren waar je werkt.")
    parts += ["## Wat vragen we?", _bullets(rng, _asks(sector, function), 3), "## Wat bieden we?", _bullets(rng, _offers(sector, role["scale"]), 3)]
    if zij_instroom:
        parts.append("**Zij-instroom mogelijk.** Heb je een hbo- of wo-diploma en wil je de overstap naar het onderwijs maken? "
                     "Zij-instromers begeleiden we tijdens hun opleiding, en je krijgt tijd om je bevoegdheid te halen.")
    parts.append(f"Wil je meer weten? Bel of mail {contact['name']}, {contact['role']}, via {contact['phone']}. "
                 f"Solliciteren kan tot en met {_day(valid_through)}.")
    return "\n\n".join(parts)


def _asks(sector: str, function: str) -> list[str]:
    if function == "leraar":
        return [
            "Een pabo-diploma, of je bent bijna klaar met je opleiding" if sector == "po" else "Een tweede- of eerstegraads bevoegdheid, of je haalt die",
            "Plezier in het werken met leerlingen en oog voor elk kind",
            "Je geeft heldere lessen en kunt goed klassenmanagement voeren",
            "Je werkt graag samen met collega's en ouders",
            "Je staat open voor feedback en blijft leren",
        ]
    return [
        "Een afgeronde mbo- of hbo-opleiding in een passende richting",
        "Je bent flexibel, zelfstandig en hebt oog voor leerlingen",
        "Je communiceert helder met collega's en ouders",
        "Ervaring in het onderwijs is mooi, maar niet nodig",
    ]


def _offers(sector: str, scale: str) -> list[str]:
    cao = "CAO Primair Onderwijs" if sector == "po" else "CAO Voortgezet Onderwijs"
    return [
        f"Een salaris volgens de {cao}, schaal {scale} (maximaal € {f'{SALARIES[scale][1]:,}'.replace(',', '.')} bruto per maand bij een volledige baan)",
        "Een inwerkprogramma en een coach in je eerste jaar",
        "Ruimte om je verder te ontwikkelen, bijvoorbeeld met een masteropleiding",
        "Een eindejaarsuitkering van 8,33% en vakantiegeld",
        "Een fietsplan en een reiskostenvergoeding",
        "Een hecht team van collega's die voor elkaar klaarstaan",
    ]


def _bullets(rng: random.Random, lines: list[str], at_least: int) -> str:
    chosen = sorted(rng.sample(range(len(lines)), rng.randint(at_least, len(lines))))
    return "\n".join(f"- {lines[i]}" for i in chosen)


def _contact(rng: random.Random, board: Board, area_code: str) -> dict[str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    address = slugify(f"{first} {last}").replace("-", ".")
    digits = 10 - len(area_code)
    return {
        "name": f"{first} {last}",
        "role": rng.choice(CONTACT_ROLES),
        "email": f"{address}@{board.domain}.example",
        "phone": f"{area_code}-{rng.randint(10 ** (digits - 1) * 2, 10 ** digits - 1)}",
    }


def _period(rng: random.Random, today: date) -> tuple[date, date]:
    start = today + timedelta(days=rng.randint(7, 42))
    return start, start + timedelta(weeks=rng.randint(6, 26))


def _fte(hours_min: float, hours_max: float) -> str:
    low, high = (f"{h / 40:.1f}".replace(".", ",") for h in (hours_min, hours_max))
    return low if low == high else f"{low}–{high}"


def _day(day: date) -> str:
    months = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")
    return f"{day.day} {months[day.month - 1]} {day.year}"


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]
